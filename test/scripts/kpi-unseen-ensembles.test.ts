import { disjointSeedSets, ensembleScore, seedsOnEveryFile } from '../../scripts/kpi-unseen-ensembles.js';
import { score } from '../../scripts/kpi-unseen-scores.js';
import type { WindowSet } from '../../src/datasets/windows.js';

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
