/** kpi:episodes' choice of rule (plain or on smoothed probabilities) and its report's upper-bound and smoothed parts. */
import { chooseGraded, episodesReport, ruleGrid, type Graded } from '../../../scripts/experiments/kpi-episodes-report.js';
import { eventMetrics } from '../../../src/detection/event-metrics.js';

// Two labelled episodes in 20 rows 0.5 s apart; alerts per case.
const times = Array.from({ length: 20 }, (_, i) => 500 * i);
const labelled = [{ start: 3, end: 5 }, { start: 13, end: 14 }];
const both = eventMetrics(labelled, [{ start: 3, end: 5 }, { start: 14, end: 15 }], times);
const one = eventMetrics(labelled, [{ start: 3, end: 5 }], times);
const [r1, r2] = ruleGrid();

test('the rule catching most episodes wins; on a tie, the least smoothing', () => {
  expect(chooseGraded([{ rule: r1, metrics: one }, { rule: r2, metrics: both, smoothing: 5 }])).toMatchObject({ rule: r2, smoothing: 5 });
  expect(chooseGraded([{ rule: r1, metrics: both, smoothing: 4 }, { rule: r1, metrics: both, smoothing: 2 }]).smoothing).toBe(2);
});

test('the report shows the upper bound beside the recipe and the smoothed rule with its goals', () => {
  const grid: Graded[] = [{ rule: r1, metrics: one }];
  const training = { epochs: 25, bestEpoch: 20, trainSeconds: 300 };
  const perModel = [{ model: 'recipe', metrics: one }, { model: 'recipe + labelled first half (upper bound)', metrics: both }];
  const { md, json } = episodesReport({
    command: 'npm run kpi:episodes -- --upper-bound',
    grid,
    chosen: r1,
    test: [{ file: 'a.csv', metrics: one }],
    unseen: [{ file: 'Lvl_4.csv', ...training, upperBound: { ...training, trainSeconds: 400 }, perModel }],
    smoothed: { grid: [{ rule: r2, metrics: both, smoothing: 3 }], test: [{ file: 'a.csv', metrics: both }], unseen: [{ file: 'Lvl_4.csv', perModel }] },
  });
  expect(md).toContain('### recipe + labelled first half (upper bound)');
  expect(md).toMatch(/Upper bound: .*Lvl_4: 25 epochs, best 20, 400 s/);
  expect(md).toContain(`Chosen: **s = 3, k = ${r2.k}, pOn = ${r2.pOn}, m = ${r2.m}, pOff = ${r2.pOff}, maxGapS = 10**`);
  expect(md).toContain('| **test split, pooled** | 2 | 2 | 100.0 |');
  expect(md).toContain('- upper bound (labelled first half), pooled: episode recall 100.0% (goal >= 85%): met');
  expect(md).toContain('- smoothed, left-out files, recipe, pooled: episode recall 50.0% (goal >= 85%): **not met**');
  expect(json).toMatchObject({ smoothed: { chosen: { smoothing: 3 }, unseenPooled: [{ model: 'recipe' }, { model: 'recipe + labelled first half (upper bound)' }] } });
});
