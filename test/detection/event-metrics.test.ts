import { eventMetrics, poolEventMetrics, quantile } from '../../src/detection/event-metrics.js';

// 20 rows, 1 s apart: two labelled episodes, rows 2-5 and 12-15.
const times = Array.from({ length: 20 }, (_, i) => i * 1000);
const labelled = [
  { start: 2, end: 5 },
  { start: 12, end: 15 },
];

test('caught episodes, detection delays, false alerts per hour of clean time', () => {
  // An alert from row 4 (2 s late) catches the first; the alert at rows 8-9 overlaps nothing.
  const alerts = [
    { start: 4, end: 6 },
    { start: 8, end: 9 },
  ];
  const m = eventMetrics(labelled, alerts, times);
  expect(m).toMatchObject({ labelledEpisodes: 2, alertEpisodes: 2, caught: 1, episodeRecall: 0.5, falseAlerts: 1, delaysS: [2] });
  // Clean time: 19 s of series minus 3 s + 3 s inside the episodes.
  expect(m.cleanSeconds).toBe(13);
  expect(m.falseAlertsPerHour).toBeCloseTo(3600 / 13, 10);
  expect(m.medianDelayS).toBe(2);
});

test('an alert already up when an episode begins has delay 0', () => {
  const m = eventMetrics(labelled, [{ start: 0, end: 3 }], times);
  expect(m.delaysS).toEqual([0]);
});

test('range-based precision and recall (Tatbul et al. 2018, alpha 0, flat bias, reciprocal cardinality)', () => {
  // Alert rows 4-7: 2 of its 4 rows inside episode 1 -> precision 0.5; episode 1 has 2 of 4 rows covered -> 0.5, episode 2 0.
  expect(eventMetrics(labelled, [{ start: 4, end: 7 }], times)).toMatchObject({ rangePrecision: 0.5, rangeRecall: 0.25 });
  // Episode 1 covered by two alerts (rows 2-3 and 5-5): 3 of 4 rows, divided by 2 alerts -> 0.375.
  const split = eventMetrics(labelled, [{ start: 2, end: 3 }, { start: 5, end: 5 }], times);
  expect(split.rangeRecall).toBeCloseTo((0.375 + 0) / 2, 12);
  expect(split.rangePrecision).toBe(1);
  expect(eventMetrics(labelled, [], times)).toMatchObject({ rangePrecision: null, rangeRecall: 0, episodeRecall: 0, falseAlertsPerHour: 0 });
});

test('quantiles interpolate; pooled metrics sum counts and clean time and average range scores over ranges', () => {
  expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
  expect(quantile([5, 1, 3], 0.9)).toBeCloseTo(4.6, 12);
  expect(quantile([], 0.5)).toBeNull();
  const a = eventMetrics(labelled, [{ start: 4, end: 6 }], times);
  const b = eventMetrics(labelled, [{ start: 12, end: 12 }, { start: 8, end: 8 }, { start: 9, end: 9 }], times);
  const pooled = poolEventMetrics([a, b]);
  expect(pooled).toMatchObject({ labelledEpisodes: 4, alertEpisodes: 4, caught: 2, episodeRecall: 0.5, falseAlerts: 2, cleanSeconds: 26, delaysS: [2, 0] });
  expect(pooled.rangePrecision).toBeCloseTo((a.rangePrecision! * 1 + b.rangePrecision! * 3) / 4, 12);
});
