/**
 * Smoothed probabilities for `kpi:episodes`: a trailing (causal) moving mean over the last few
 * windows, so that one noisy window neither raises nor holds an alert, while a delay stays what an
 * operator would see (no future window is averaged in).
 */

/** Window counts of the moving mean tried on the validation split. */
export const SMOOTHING_WINDOWS = [2, 3, 4, 5];

/**
 * Per row, the mean of the probabilities of the last `windows` rows that have one (this row
 * included); null where the row has none.
 */
export function trailingMean(probability: ReadonlyArray<number | null>, windows: number): Array<number | null> {
  if (!Number.isInteger(windows) || windows < 1) throw new Error(`windows must be an integer >= 1, got ${windows}`);
  return probability.map((p, i) => {
    if (p === null) return null;
    let sum = 0;
    let count = 0;
    for (let j = Math.max(0, i - windows + 1); j <= i; j++) {
      const q = probability[j];
      if (q !== null) {
        sum += q;
        count++;
      }
    }
    return sum / count;
  });
}
