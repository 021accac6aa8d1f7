import { goalLines } from '../../../scripts/experiments/kpi-unseen-goals.js';

const rmse = (x: number) => ({ rsrp: x, rsrq: x, sinr: x });
/** A run on `file` scoring `balanced` (and `fpr`) with and without a profile, model RMSE `model` against persistence 1. */
const run = (file: string, balanced: number, fpr: number, model = 0.9) => {
  const s = { positives: 100, balancedAccuracy: balanced, fpr, rmse: rmse(model), persistenceRmse: rmse(1) };
  return { leftOut: file, withoutProfile: s, withProfile: s };
};
const short = (f: string) => f.replace('.csv', '');

describe('kpi:unseen goal table', () => {
  it('judges the mean over seeds against each goal and shows the range', () => {
    const lines = goalLines([run('a.csv', 0.9, 0.01), run('a.csv', 0.8, 0.02)], ['a.csv'], 20, short);
    expect(lines[2]).toBe('| a | balanced accuracy % | 85.0 (80.0-90.0) | >= 85.0: met | 85.0 (80.0-90.0) | >= 92.0: **not met** | 3/3 / 3/3 | - |');
    expect(lines).toContain('Goals met: 3 of 4 (a KPI counts as at or below persistence when every seed is).');
  });

  it('judges a file with few interference windows by its false alarms, and a KPI above persistence in one seed fails', () => {
    const few = run('b.csv', 0.5, 0.03, 1.1);
    few.withoutProfile = { ...few.withoutProfile, positives: 3 };
    const lines = goalLines([few], ['b.csv'], 20, short);
    expect(lines[2]).toBe('| b | FPR % | 3.0 | <= 5.0: met | 3.0 | <= 2.0: **not met** | 0/3 (not rsrp, rsrq, sinr) / 0/3 (not rsrp, rsrq, sinr) | - |');
  });

  it('shows the upper bound (trained also on the file\'s labelled first half) beside the goals, without judging it', () => {
    const lines = goalLines([run('a.csv', 0.7, 0.01)], ['a.csv'], 20, short, [run('a.csv', 0.84, 0.05), run('a.csv', 0.86, 0.04)]);
    expect(lines[2]).toMatch(/\| 85\.0 \(84\.0-86\.0\) \|$/);
    expect(lines).toContain('Goals met: 2 of 4 (a KPI counts as at or below persistence when every seed is).');
    expect(lines.at(-1)).toMatch(/^Upper bound: the same recipe trained also on the left-out file's first half with its labels/);
  });
});
