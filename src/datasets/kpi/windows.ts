/**
 * Sliding windows over one contiguous segment (one split of one CSV).
 *
 * For a segment of n rows and window length w there are n - w windows; window k
 * covers rows k .. k+w-1 (inputs), its class label is the label of row k+w-1 (the
 * window's LAST input step: detection, not forecasting) and its regression target
 * is row k+w (the next step). A window never reaches outside its segment, so it
 * never crosses a CSV or split boundary.
 */
export interface WindowSet {
  /** Number of windows. */
  count: number;
  /** Window length (time steps). */
  window: number;
  /** Features per step (3: RSRP, RSRQ, SINR, scaled). */
  features: number;
  /** [count, window, features] inputs, row-major. */
  x: Float32Array;
  /** [count, features] next-step targets (scaled). */
  y: Float32Array;
  /** [count, features] last observed step of each window (scaled): the persistence forecast. */
  last: Float32Array;
  /** [count] class label (0/1) at the window's last step. */
  label: Int32Array;
  /** [count, features] scaler range per window (physical units per scaled unit), for physical RMSE. */
  range: Float32Array;
  /** [count] index of the source file. */
  source: Int32Array;
}

/** What a forward pass reads of a window set: the inputs and each window's last step. */
export type InferenceWindows = Pick<WindowSet, 'count' | 'window' | 'features' | 'x' | 'last'>;

/** Windows for inference from their inputs x [count, window, features] alone (no next step needed). */
export function inferenceWindows(x: Float32Array, window: number, features = 3): InferenceWindows {
  const size = window * features;
  if (!Number.isInteger(window) || window < 1 || x.length % size !== 0) throw new Error(`x must hold whole windows of ${window} steps x ${features} features, got ${x.length} values`);
  const count = x.length / size;
  const last = new Float32Array(count * features);
  for (let k = 0; k < count; k++) last.set(x.subarray((k + 1) * size - features, (k + 1) * size), k * features);
  return { count, window, features, x, last };
}

export interface Segment {
  /** [n, features] scaled values, row-major. */
  values: Float32Array;
  /** [n] labels. */
  labels: Int32Array;
  /** Per-feature physical range of the segment's scaler. */
  range: number[];
  /** Source file index. */
  source: number;
}

export function windowCount(rows: number, window: number): number {
  return Math.max(0, rows - window);
}

/** Builds the windows of several segments, concatenated in order. */
export function buildWindows(segments: Segment[], window: number, features = 3): WindowSet {
  if (!Number.isInteger(window) || window < 1) throw new Error(`window must be an integer >= 1, got ${window}`);
  let count = 0;
  for (const s of segments) count += windowCount(s.labels.length, window);
  const x = new Float32Array(count * window * features);
  const y = new Float32Array(count * features);
  const last = new Float32Array(count * features);
  const range = new Float32Array(count * features);
  const label = new Int32Array(count);
  const source = new Int32Array(count);
  let k = 0;
  for (const s of segments) {
    const n = windowCount(s.labels.length, window);
    for (let i = 0; i < n; i++, k++) {
      x.set(s.values.subarray(i * features, (i + window) * features), k * window * features);
      y.set(s.values.subarray((i + window) * features, (i + window + 1) * features), k * features);
      last.set(s.values.subarray((i + window - 1) * features, (i + window) * features), k * features);
      for (let j = 0; j < features; j++) range[k * features + j] = s.range[j];
      label[k] = s.labels[i + window - 1];
      source[k] = s.source;
    }
  }
  return { count, window, features, x, y, last, label, range, source };
}
