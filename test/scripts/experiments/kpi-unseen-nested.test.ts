import { candidateScores, choose, criterionOver, ensembleProbability, nestedMembers, nestedSection, RECIPE_CANDIDATES } from '../../../scripts/experiments/kpi-unseen-nested.js';
import type { Run } from '../../../scripts/experiments/kpi-unseen-runs.js';
import type { WindowSet } from '../../../src/datasets/kpi/windows.js';

/** 40 scored windows, the first 20 with interference (enough to be judged by balanced accuracy). */
const ws: WindowSet = {
  count: 40, window: 2, features: 3, x: new Float32Array(240), y: new Float32Array(120).fill(0.5), last: new Float32Array(120).fill(0.4),
  label: Int32Array.from({ length: 40 }, (_, i) => (i < 20 ? 1 : 0)), range: new Float32Array(120).fill(10), source: new Int32Array(40),
};
const GOOD = Array.from({ length: 40 }, (_, i) => (i < 20 ? 0.9 : 0.1));
const BLIND = new Array<number>(40).fill(0.1);
const files = ['F0.csv', 'F1.csv', 'F2.csv', 'F3.csv'];
type R = Pick<Run, 'kind' | 'leftOut' | 'innerLeftOut' | 'arch' | 'inputs' | 'seed' | 'outputs'>;
const run = (kind: Run['kind'], leftOut: string, innerLeftOut: string | null, arch: string, seed: number, prob: number[]): R =>
  ({ kind, leftOut, innerLeftOut, arch, inputs: 'pooled', seed, outputs: { prob, reg: new Array<number>(120).fill(0.4) } });
/** Every candidate member's run on one fold; `mixedWins`: PLE blind, MMoE and attention right (else the other way round). */
const foldRuns = (kind: Run['kind'], leftOut: string, inner: string | null, mixedWins: boolean): R[] => nestedMembers().map((m) =>
  run(kind, leftOut, inner, m.arch, m.seed, (m.arch === 'ple') === mixedWins ? BLIND : GOOD));

test('the candidates need seven single trainings per training set: PLE seeds 1-5, MMoE and attention seed 1', () => {
  expect(nestedMembers()).toEqual([1, 2, 3, 4, 5].map((seed) => ({ arch: 'ple', seed })).concat([{ arch: 'mmoe', seed: 1 }, { arch: 'attention', seed: 1 }]));
});

test('a candidate is scored as its members\' mean outputs, "one PLE" as each seed alone; a missing member leaves it unscored', () => {
  const fold = { runs: foldRuns('outer', 'F0.csv', null, true), ws };
  const [single, k3, , mixed] = RECIPE_CANDIDATES;
  expect(candidateScores(single, fold)?.map((s) => s.balancedAccuracy)).toEqual([0.5, 0.5, 0.5, 0.5, 0.5]);
  expect(candidateScores(k3, fold)?.map((s) => s.balancedAccuracy)).toEqual([0.5]);
  // (0.1 + 0.9 + 0.9) / 3 >= 0.5 on interference, 0.1 elsewhere.
  expect(candidateScores(mixed, fold)?.map((s) => s.balancedAccuracy)).toEqual([1]);
  expect(candidateScores(mixed, { runs: fold.runs.filter((r) => r.arch !== 'mmoe'), ws })).toBeUndefined();
  expect(criterionOver(mixed, [fold, { runs: [], ws }])).toBeNull();
  // Its probabilities for the event metrics: the same mean, window by window.
  expect(ensembleProbability(mixed, fold.runs, 40)?.[0]).toBeCloseTo((0.1 + 0.9 + 0.9) / 3, 12);
  expect(ensembleProbability(mixed, fold.runs, 41)).toBeUndefined();
});

test('choose: the highest, the first on a tie, nothing while a value is missing', () => {
  expect(choose([0.7, 0.9, 0.9])).toBe(1);
  expect(choose([0.7, null])).toBeNull();
});

describe('nestedSection', () => {
  // Outer F0: inside its training files the mixed ensemble wins; on F0 itself PLE does (the choice must not see it).
  const runs = [
    ...files.slice(1).flatMap((inner) => foldRuns('inner', 'F0.csv', inner, true)),
    ...files.map((f) => foldRuns('outer', f, null, false)).flat(),
  ];
  const asked: Array<[string, string | null]> = [];
  const scoredOf = (leftOut: string, outer: string | null) => {
    asked.push([leftOut, outer]);
    return ws;
  };
  const { lines, json } = nestedSection({ files, runs, scoredOf, short: (f) => f.replace('.csv', '') });

  it('chooses per outer file from its inner folds only, and scores the choice on that file', () => {
    expect(lines).toContain('| F0 | 50.0 | 50.0 | 50.0 | 100.0 | PLE + MMoE + attention (seed 1) | 50.0 |');
    expect(lines).toContain('| F1 | - | - | - | - | incomplete | - |');
    expect(asked).toEqual(expect.arrayContaining([['F1.csv', 'F0.csv'], ['F2.csv', 'F0.csv'], ['F3.csv', 'F0.csv']]));
  });

  it('the served choice is the criterion over the outer folds (ties: the cheaper candidate)', () => {
    expect(lines).toContain('| criterion | 100.0 | 100.0 | 100.0 | 50.0 |');
    expect(lines).toContain('Served choice: **one PLE (mean of seeds 1-5)**.');
    const j = json as { folds: Array<{ chosen: string | null; inner: Array<number | null> }>; served: { chosen: string } };
    expect(j.folds.map((f) => f.chosen)).toEqual(['PLE + MMoE + attention (seed 1)', null, null, null]);
    expect(j.folds[0].inner).toEqual([0.5, 0.5, 0.5, 1]);
    expect(j.served.chosen).toBe('one PLE (mean of seeds 1-5)');
  });
});
