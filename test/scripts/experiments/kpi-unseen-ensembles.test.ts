import { disjointSeedSets, ensembleScore, ensembleSection, seedsOnEveryFile } from '../../../scripts/experiments/kpi-unseen-ensembles.js';
import { score } from '../../../scripts/experiments/kpi-unseen-scores.js';
import type { WindowSet } from '../../../src/datasets/kpi/windows.js';

/** Four scored windows, two with interference. */
const ws: WindowSet = {
  count: 4, window: 2, features: 3, x: new Float32Array(24), y: new Float32Array(12).fill(0.5), last: new Float32Array(12).fill(0.4),
  label: Int32Array.from([0, 1, 1, 0]), range: new Float32Array(12).fill(10), source: new Int32Array(4),
};
const run = (seed: number, prob: number[], file = 'a.csv') => ({ leftOut: file, seed, outputs: { prob, reg: new Array(12).fill(0.4 + seed / 100) } });

test('disjoint seed sets of k, only complete ones', () => {
  expect(disjointSeedSets([3, 1, 2, 5, 4, 6, 7], 3)).toEqual([[1, 2, 3], [4, 5, 6]]);
  expect(disjointSeedSets([1, 2], 3)).toEqual([]);
});

test('an ensemble is scored on the mean of its members\' probabilities and forecasts', () => {
  // Alone, seed 1 misses window 2 and seed 2 raises a false alarm on window 3; their mean gets all four right.
  const runs = [run(1, [0.1, 0.9, 0.3, 0.2]), run(2, [0.2, 0.8, 0.9, 0.6]), run(3, [0.1, 0.2, 0.2, 0.1], 'b.csv')];
  const s = ensembleScore(runs, 'a.csv', [1, 2], ws);
  const want = score(ws, [0.15, 0.85, 0.6, 0.4], new Array(12).fill(0.415));
  expect({ ...s, rmse: null }).toEqual({ ...want, rmse: null });
  for (const k of ['rsrp', 'rsrq', 'sinr'] as const) expect(s?.rmse?.[k]).toBeCloseTo(want.rmse?.[k] ?? NaN, 10);
  expect(s?.balancedAccuracy).toBe(1);
  expect(score(ws, runs[0].outputs.prob, null).balancedAccuracy).toBe(0.75);
  expect(ensembleScore(runs, 'a.csv', [1, 3], ws)).toBeUndefined();
  expect(seedsOnEveryFile(runs, ['a.csv', 'b.csv'])).toEqual([]);
  expect(seedsOnEveryFile(runs, ['a.csv'])).toEqual([1, 2]);
});

describe('ensembleSection judges the goals on the ensembles of disjoint seed sets', () => {
  // Nine seeds on one file judged by balanced accuracy (Lvl_4: >= 83%); each run's outputs are its probabilities.
  const good = [0.1, 0.9, 0.9, 0.1];
  const runs = Array.from({ length: 9 }, (_, i) => ({ ...run(i + 1, i === 3 ? [0.9, 0.9, 0.9, 0.9] : good, 'Lvl_4_x.csv'), withoutProfile: score(ws, good, null) }));
  const input = { files: ['Lvl_4_x.csv'], runs, k: 3, scoredOf: () => ws, minPositives: 2, short: (f: string) => f.slice(0, 5) };

  it('three sets within 3 points and above the level and the baseline: both met', () => {
    const { lines, json } = ensembleSection({ ...input, logistic: { 'Lvl_4_x.csv': score(ws, [0.1, 0.9, 0.1, 0.1], null) } });
    const row = lines.find((l) => l.startsWith('| Lvl_4 |')) ?? '';
    expect(row).toContain('| met | >= 83.0 and >= logistic: met |');
    expect((json as { sets: number[][] }).sets).toEqual([[1, 2, 3], [4, 5, 6], [7, 8, 9]]);
  });

  it('a set pulled down by two bad members breaks stability and the level', () => {
    const bad = runs.map((r) => (r.seed === 4 || r.seed === 5 ? { ...r, outputs: { ...r.outputs, prob: [0.95, 0.1, 0.1, 0.95] } } : r));
    const { lines } = ensembleSection({ ...input, runs: bad, logistic: { 'Lvl_4_x.csv': score(ws, good, null) } });
    const row = lines.find((l) => l.startsWith('| Lvl_4 |')) ?? '';
    expect(row).toContain('| 100.0 | 0.0 | 100.0 | 66.7 (0.0-100.0) | 100.0 |');
    expect(row).toContain('**not met** | >= 83.0 and >= logistic: **not met** |');
  });
});
