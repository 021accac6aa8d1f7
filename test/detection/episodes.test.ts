import { labelRuns, labelledEpisodes } from '../../src/detection/episodes.js';

test('runs of 1 are found, including one-row runs and a run at either end', () => {
  expect(labelRuns([1, 0, 0, 1, 1, 0, 1])).toEqual([
    { start: 0, end: 0 },
    { start: 3, end: 4 },
    { start: 6, end: 6 },
  ]);
  expect(labelRuns([0, 0])).toEqual([]);
});

test('runs less than the merge gap apart are one episode; runs exactly the gap apart are not', () => {
  const labels = [1, 1, 0, 0, 1, 0, 0, 0, 0, 1];
  const times = labels.map((_, i) => i * 500); // 0.5 s apart, as FccIQ rows
  // Runs end at row 1 (0.5 s), start at row 4 (2.0 s): 1.5 s apart -> merged; row 4 to row 9: 2.5 s -> separate.
  expect(labelledEpisodes(labels, times, 2)).toEqual([
    { start: 0, end: 4 },
    { start: 9, end: 9 },
  ]);
  // Exactly 2 s apart is not "less than 2 s".
  expect(labelledEpisodes([1, 0, 0, 0, 1], [0, 500, 1000, 1500, 2000], 2)).toEqual([
    { start: 0, end: 0 },
    { start: 4, end: 4 },
  ]);
});

test('without times nothing is merged', () => {
  expect(labelledEpisodes([1, 0, 1])).toEqual([
    { start: 0, end: 0 },
    { start: 2, end: 2 },
  ]);
});
