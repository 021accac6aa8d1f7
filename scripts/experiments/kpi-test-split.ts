/** What the scripts that score the served KPI model through the API share: the paper's test windows and the detection rates. */
import { splitSizes, DEFAULT_WINDOW } from '../../src/datasets/kpi/fcciq.js';

/**
 * The end (exclusive row index) of every test window of a file of `rows` rows: windows of
 * DEFAULT_WINDOW steps inside its test segment (last 10%); the label is at row end - 1.
 */
export function testWindowEnds(rows: number): number[] {
  const s = splitSizes(rows);
  const ends: number[] = [];
  for (let end = s.train + s.val + DEFAULT_WINDOW; end < rows; end++) ends.push(end);
  return ends;
}

export interface Confusion {
  tp: number;
  fn: number;
  tn: number;
  fp: number;
}

/** Counts one window: `label` (0/1) against the model's `interference` decision. */
export function tally(c: Confusion, label: number, interference: boolean): void {
  c[label === 1 ? (interference ? 'tp' : 'fn') : interference ? 'fp' : 'tn']++;
}

export function detectionRates({ tp, fn, tn, fp }: Confusion) {
  return { accuracy: (tp + tn) / (tp + fn + tn + fp), balancedAccuracy: (tp / (tp + fn) + tn / (tn + fp)) / 2, tpr: tp / (tp + fn), fpr: fp / (fp + tn) };
}
