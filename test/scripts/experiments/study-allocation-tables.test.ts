import { metricsRow, pointRow, spread, table, winners, percentOfOptimum, meanDelayExcess, type Row } from '../../../scripts/experiments/study-allocation-tables.js';
import type { RunResult } from '../../../scripts/experiments/study-allocation-runs.js';
import type { FdmaMetrics, SumCapacityMetrics } from '../../../src/dnn/allocation/evaluate.js';

const cap = (n: number, bits: number): SumCapacityMetrics => ({ problem: 'sum-capacity', n, samples: 1, capacityBits: bits, meanSumPowerW: 1, budgetW: 1, violationW: 0, violationFrac: 0, maxBoxViolationW: 0 });
const delay = (n: number, d: number): FdmaMetrics => ({ problem: 'fdma-delay', n, samples: 1, delayMse: 0, medianRelGap: d - 1, meanRelGap: 0, p95RelGap: 0, meanDelay: d, meanOptimalDelay: 1, powerMse: 0, maxViolationW: 0 });
const run = (seed: number, bits: number): RunResult => ({ point: 'p', seed, t1: 1, t2: 1, trainSeconds: 1, evaluations: { exact: [delay(5, 1 + bits / 10), cap(5, bits)] } });
const refs = [{ n: 5, capacityBits: 2, stdErrBits: 0, lambda: 1, samples: 1, seed: 1 }];

describe('study report numbers', () => {
  test('a point row holds each seed value of the metric per N (capacity as % of the optimum)', () => {
    const row = pointRow('p', [run(1, 1.9), run(2, 2.1), { ...run(3, 2), point: 'other' }], 'p', 'exact', percentOfOptimum, refs);
    expect(row.values.get(5)).toEqual([95, 105]);
    expect(pointRow('p', [run(1, 1.9)], 'p', 'exact', meanDelayExcess, refs).values.get(5)![0]).toBeCloseTo(0.19, 12);
  });

  test('spread: mean [min, max], the seeds that are missing named, a dash for none', () => {
    const f = (x: number) => x.toFixed(1);
    expect(spread([1, 2, 6], f)).toBe('3.0 [1.0, 6.0]');
    expect(spread([1, 3], f)).toBe('2.0 [1.0, 3.0] (2/3 seeds)');
    expect(spread([4], f, 1)).toBe('4.0');
    expect(spread(undefined, f)).toBe('–');
  });

  test('winners: per N, in how many seeds the DNN beats the deterministic plug-in', () => {
    const dnn: Row = { name: 'dnn', values: new Map([[5, [2, 3, 4]], [8, [1, 1, 1]], [10, [5, 1, 5]]]) };
    const plugIn: Row = { name: 'plug-in', values: new Map([[5, [1]], [8, [2]], [10, [2]]]) };
    expect(winners([5, 8, 10, 12], dnn, plugIn, true, ['DNN', 'plug-in'])).toBe('DNN 3/3 | plug-in 3/3 | mixed (DNN 2/3) | –');
    expect(winners([5], dnn, plugIn, false, ['DNN', 'plug-in'])).toBe('plug-in 3/3');
  });

  test('table: one column per N, deterministic rows without a seed count', () => {
    const rows = [metricsRow('plug-in', [cap(5, 1)], percentOfOptimum, refs), pointRow('p', [run(1, 2)], 'p', 'exact', percentOfOptimum, refs)];
    expect(table('t', [5], rows, (x) => `${x}%`, ['plug-in'])).toBe('| t | N=5 |\n|---|---:|\n| plug-in | 50% |\n| p | 100% (1/3 seeds) |\n');
  });
});
