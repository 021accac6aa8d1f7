import { buildWindows, type Segment } from '../../../src/datasets/kpi/windows.js';
import { knnInterferenceVotes } from '../../../scripts/experiments/kpi-knn-baseline.js';

/** One feature per step; window 2; labels follow the values. */
function windows(values: number[], labels: number[]) {
  const seg: Segment = { values: Float32Array.from(values), labels: Int32Array.from(labels), range: [1], source: 0 };
  return buildWindows([seg], 2, 1);
}

describe('kNN baseline', () => {
  // Windows: [0,0] [0,1] [1,9] [9,10] [10,10]; labels (of each window's last step): 0 0 1 1 1.
  const reference = windows([0, 0, 1, 9, 10, 10, 0], [0, 0, 0, 1, 1, 1, 0]);

  it('votes the fraction of the k nearest reference windows labelled 1', () => {
    const query = windows([0, 0, 10, 10, 0], [0, 0, 0, 0, 0]); // windows [0,0] [0,10] [10,10]
    expect(Array.from(knnInterferenceVotes(reference, query, 1, 2))).toEqual([0, 1, 1]);
    // [0,0]: nearest are [0,0] and [0,1] (both 0), then [1,9] (1).
    expect(knnInterferenceVotes(reference, query, 2, 2)[0]).toBe(0);
    expect(knnInterferenceVotes(reference, query, 3, 2)[0]).toBeCloseTo(1 / 3);
  });

  it('looks only at the last `steps` steps', () => {
    // Query window [10,1]: on the last step alone its nearest is [0,1] (label 0);
    // on both steps it is [10,10] (label 1).
    const query = windows([10, 1, 0], [0, 0, 0]);
    expect(knnInterferenceVotes(reference, query, 1, 1)[0]).toBe(0);
    expect(knnInterferenceVotes(reference, query, 1, 2)[0]).toBe(1);
  });

  it('refuses a k or a step count out of range', () => {
    const query = windows([0, 0, 0], [0, 0, 0]);
    expect(() => knnInterferenceVotes(reference, query, 0, 1)).toThrow(/k must be/);
    expect(() => knnInterferenceVotes(reference, query, 99, 1)).toThrow(/k must be/);
    expect(() => knnInterferenceVotes(reference, query, 1, 3)).toThrow(/steps must be/);
  });
});
