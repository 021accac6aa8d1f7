/** The reproduce:kpi report scores each run's test probabilities by episodes, per seed, the seeds pooled and their ensemble. */
import type { TestPredictions } from '../../src/dnn/kpi/report.js';
import { eventsSection, reportEvents, type TestSplitScorer } from '../../src/detection/reproduction-events.js';
import { seriesEvents } from '../../src/detection/window-events.js';

// One file, 20 windows 0.5 s apart; labelled episodes at windows 3-5 and 13-14 (4 s apart: two episodes).
const label = [0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0];
const timesMs = label.map((_, i) => 1_000_000 + 500 * i);
const score: TestSplitScorer = (probability, labels) => seriesEvents([{ name: 'a.csv', probability, labels, timesMs }]);
const at = (rows: Record<number, number>) => label.map((_, i) => rows[i] ?? 0);
const pred = (testProb: number[] | undefined): TestPredictions => ({ file: 'a.csv', sinrTrue: [], sinrPred: [], sinrLast: [], probInterference: [], label: [], ...(testProb && { testProb, testLabel: label }) });

// Seed 1 catches the first episode at once and misses the second; seed 2 raises a false alert at
// window 0 (0.9) and catches the second episode one window late; their mean (0.5 where one of them
// is sure, 0.45 at window 0) catches both and raises no false alert.
const preds = new Map([
  ['p1', pred(at({ 3: 1, 4: 1, 5: 1 }))],
  ['p2', pred(at({ 0: 0.9, 14: 1 }))],
  ['m1', pred(undefined)],
]);
const runs = [
  { arch: 'ple' as const, seed: 2, dir: 'p2' },
  { arch: 'ple' as const, seed: 1, dir: 'p1' },
  { arch: 'mmoe' as const, seed: 1, dir: 'm1' },
];

test('each seed, the seeds pooled and their mean probability are scored with the rule', () => {
  const e = reportEvents(runs, preds, score);
  expect(e?.rule).toEqual({ k: 1, pOn: 0.5, m: 6, pOff: 0.2, maxGapS: 10 });
  expect(e?.archs.map((a) => a.arch)).toEqual(['ple']); // MMoE saved no whole-split probabilities
  const [ple] = e?.archs ?? [];
  expect(ple.seeds.map((s) => [s.seed, s.pooled.caught, s.pooled.falseAlerts, s.pooled.delaysS])).toEqual([
    [1, 1, 0, [0]],
    [2, 1, 1, [0.5]],
  ]);
  expect(ple.seedsPooled).toMatchObject({ labelledEpisodes: 4, caught: 2, episodeRecall: 0.5, falseAlerts: 1, cleanSeconds: 16, medianDelayS: 0.25 });
  expect(ple.ensemble?.pooled).toMatchObject({ labelledEpisodes: 2, caught: 2, falseAlerts: 0, delaysS: [0, 0.5] });
  // Clean time: 9.5 s of series minus 1.0 s and 0.5 s inside the episodes; one false alert in 8 s.
  expect(ple.seeds[1].pooled.falseAlertsPerHour).toBeCloseTo(1 / (8 / 3600), 9);
});

// Range precision: seed 2's alerts [0, 0] (no overlap) and [14, 19] (1 row of 6 inside) average 1/12;
// pooled over the seeds it is weighted by alerts: (1 + 2/12) / 3.
test('the section has one row per seed, the pooled seeds and the ensemble', () => {
  const lines = eventsSection(reportEvents(runs, preds, score) as NonNullable<ReturnType<typeof reportEvents>>);
  const rows = lines.filter((l) => l.startsWith('| PLE'));
  expect(rows).toEqual([
    '| PLE seed 1 | 2 | 1 | 50.0 | 0 | 0.1 | 0.0 | 0.0 | 0.0 | 100.0 | 50.0 |',
    '| PLE seed 2 | 2 | 1 | 50.0 | 1 | 0.1 | 450.0 | 0.5 | 0.5 | 8.3 | 25.0 |',
    '| PLE, seeds pooled | 4 | 2 | 50.0 | 1 | 0.3 | 225.0 | 0.3 | 0.5 | 38.9 | 37.5 |',
    '| PLE ensemble (mean P of the seeds) | 2 | 2 | 100.0 | 0 | 0.1 | 0.0 | 0.3 | 0.5 | 58.3 | 75.0 |',
  ]);
});

test('data without times gives no event metrics', () => {
  expect(reportEvents(runs, preds, () => null)).toBeNull();
});
