/** kpi:episodes smooths probabilities with a trailing mean: only past windows, gaps skipped. */
import { trailingMean } from '../../../scripts/experiments/kpi-episodes-smoothing.js';

test('each row gets the mean of the last s rows that have a probability, itself included', () => {
  expect(trailingMean([1, 0.5, 0, 0.25], 3)).toEqual([1, 0.75, 0.5, 0.25]);
  expect(trailingMean([0.2, 0.4], 1)).toEqual([0.2, 0.4]);
});

test('a row without a probability stays null and is left out of its neighbours\' means', () => {
  expect(trailingMean([null, 0.8, null, 0.2], 2)).toEqual([null, 0.8, null, 0.2]);
  expect(trailingMean([0.8, null, 0.2], 3)).toEqual([0.8, null, 0.5]);
});

test('a window count below 1 or not an integer is refused', () => {
  expect(() => trailingMean([0.5], 0)).toThrow('windows must be an integer >= 1, got 0');
  expect(() => trailingMean([0.5], 2.5)).toThrow('windows must be an integer >= 1');
});
