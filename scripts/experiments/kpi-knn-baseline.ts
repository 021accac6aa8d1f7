/**
 * k-nearest-neighbour vote over the last `steps` steps of each window: a
 * nonparametric baseline on exactly the inputs the LSTMs see. Its purpose is
 * diagnostic: if the nearest training windows of a test window carry the other
 * label, no model of these inputs can be expected to get that window right.
 */
import type { WindowSet } from '../../src/datasets/kpi/windows.js';

/**
 * For every query window, the fraction of its k nearest reference windows
 * (squared Euclidean distance over the last `steps` steps, all features) whose
 * label is 1. Ties at the k-th distance are broken by reference order.
 */
export function knnInterferenceVotes(reference: WindowSet, query: WindowSet, k: number, steps: number): Float64Array {
  if (reference.window !== query.window || reference.features !== query.features) throw new Error('reference and query windows differ in shape');
  if (!Number.isInteger(k) || k < 1 || k > reference.count) throw new Error(`k must be an integer in 1..${reference.count}, got ${k}`);
  if (!Number.isInteger(steps) || steps < 1 || steps > query.window) throw new Error(`steps must be an integer in 1..${query.window}, got ${steps}`);
  const { window: w, features: f } = query;
  const width = steps * f;
  const offset = (w - steps) * f;
  const votes = new Float64Array(query.count);
  const bestD = new Float64Array(k);
  const bestLabel = new Int32Array(k);
  for (let q = 0; q < query.count; q++) {
    bestD.fill(Infinity);
    const qBase = q * w * f + offset;
    for (let r = 0; r < reference.count; r++) {
      const rBase = r * w * f + offset;
      let d = 0;
      for (let j = 0; j < width; j++) {
        const diff = query.x[qBase + j] - reference.x[rBase + j];
        d += diff * diff;
      }
      if (d >= bestD[k - 1]) continue;
      // Insertion into the sorted list of the k best so far.
      let i = k - 1;
      while (i > 0 && bestD[i - 1] > d) {
        bestD[i] = bestD[i - 1];
        bestLabel[i] = bestLabel[i - 1];
        i--;
      }
      bestD[i] = d;
      bestLabel[i] = reference.label[r];
    }
    let positives = 0;
    for (let i = 0; i < k; i++) positives += bestLabel[i];
    votes[q] = positives / k;
  }
  return votes;
}
