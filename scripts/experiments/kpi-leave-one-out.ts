/**
 * Leave-one-file-out splits: how well does a model do on a cell it has never seen?
 *
 * Each FccIQ file is one cell/scenario. The split for left-out file L:
 *  - every OTHER file is cut chronologically into training rows (the first 90%) and
 *    validation rows (the last 10%, for checkpoint selection); its input scaler is
 *    fitted on its own training rows (as in training on all files);
 *  - `pooled`, what a cell WITHOUT a profile gets, is fitted on the training rows of
 *    the other files taken together;
 *  - the left-out file's first half is its unlabelled history (`calibration`, raw
 *    rows; a profile is made from it), and the windows of its second half are scored,
 *    scaled once without and once with that profile.
 * No row of L reaches training, validation or any fitted scaler (tested); its labels
 * are used for scoring only, except in the `labelledHistory` upper bound (its first half trains).
 */
import { rangeWindows, type FcciqFile, type RowRange } from '../../src/datasets/kpi/fcciq.js';
import { computeProfile, fitFileScalers, rowsOf, scalerFromProfile, type KpiInputs, type KpiProfile } from '../../src/measurements/inputs.js';
import type { MinMaxScaler } from '../../src/measurements/scaler.js';
import type { WindowSet } from '../../src/datasets/kpi/windows.js';

/** Share of each training file's rows (its last ones) kept for validation. */
export const LOFO_VAL_FRACTION = 0.1;
/** Scaler that leaves raw values (dBm, dB) as they are: for baselines on physical units. */
export const RAW_SCALER: MinMaxScaler = { columns: ['RSRP', 'RSRQ', 'SINR'], min: [0, 0, 0], max: [1, 1, 1] };

export interface LeaveOneOutRows {
  leftOut: number;
  /** Rows each training file's scaler (and the pooled one) is fitted on. */
  fit: RowRange[];
  train: RowRange[];
  val: RowRange[];
  /** The left-out file's unlabelled history: the profile comes from these rows. */
  calibrate: RowRange;
  /** The left-out file's rows whose windows are scored. */
  score: RowRange;
}

export interface LeaveOneOutSplit {
  leftOut: string;
  trainFiles: string[];
  inputs: KpiInputs;
  rows: LeaveOneOutRows;
  /** Per training file, fitted on its training rows. */
  scalers: Record<string, MinMaxScaler>;
  /** Fitted on the training files' training rows together: what a cell without a profile gets. */
  pooled: MinMaxScaler;
  train: WindowSet;
  val: WindowSet;
  /** [n, 3] raw rows of the left-out file's calibration half, no labels. */
  calibration: Float64Array;
  profile: KpiProfile;
  /** Windows of the calibration half, scaled as `scored.withProfile`: what a profile may learn from (no labels read). */
  calibrationWindows: WindowSet;
  /** Windows of the left-out file's scored half, scaled with `pooled` and with the profile's scaler. */
  scored: { withoutProfile: WindowSet; withProfile: WindowSet };
}

export interface LeaveOneOutOptions {
  /**
   * Also train on the left-out file's first half WITH its labels (cut 90% / 10% like any
   * training file): not a deployment, an upper bound on what any use of that half (a profile
   * reads it unlabelled) can reach on the scored second half.
   */
  labelledHistory?: boolean;
}

/** Which rows of which file play which part when file `leftOut` is left out (files of `rowCounts` rows). */
export function leaveOneOutRows(rowCounts: number[], leftOut: number, valFraction = LOFO_VAL_FRACTION, options: LeaveOneOutOptions = {}): LeaveOneOutRows {
  if (!Number.isInteger(leftOut) || leftOut < 0 || leftOut >= rowCounts.length) throw new Error(`left-out file index must be an integer from 0 to ${rowCounts.length - 1}, got ${leftOut}`);
  if (rowCounts.length < 2) throw new Error('leaving one file out needs at least two files');
  const fit: RowRange[] = [];
  const val: RowRange[] = [];
  const n = rowCounts[leftOut];
  const half = Math.floor(n / 2);
  rowCounts.forEach((rows, file) => {
    if (file === leftOut && !options.labelledHistory) return;
    const end = file === leftOut ? half : rows;
    const cut = end - Math.floor(end * valFraction);
    fit.push({ file, start: 0, end: cut });
    val.push({ file, start: cut, end });
  });
  return { leftOut, fit, train: fit.map((r) => ({ ...r })), val, calibrate: { file: leftOut, start: 0, end: half }, score: { file: leftOut, start: half, end: n } };
}

/** The leave-one-file-out split of `files` for left-out file index `leftOut` (see the module comment). */
export function leaveOneFileOut(files: FcciqFile[], leftOut: number, window: number, inputs: KpiInputs, options: LeaveOneOutOptions = {}): LeaveOneOutSplit {
  const rows = leaveOneOutRows(files.map((f) => f.labels.length), leftOut, LOFO_VAL_FRACTION, options);
  const fitRows = (r: RowRange) => rowsOf(files[r.file].values, r.start, r.end);
  const fitted = fitFileScalers(inputs, rows.fit.map(fitRows));
  const scalers: Record<number, MinMaxScaler> = {};
  rows.fit.forEach((r, k) => (scalers[r.file] = fitted.perFile[k]));
  const pooled = fitted.pooled;
  const { start, end } = rows.calibrate;
  const calibration = files[leftOut].values.slice(start * 3, end * 3);
  const profile = computeProfile(rowsOf(calibration, 0, end - start), 'leave-one-out');
  const ownScaler = scalerFromProfile(inputs, profile, pooled);
  return {
    leftOut: files[leftOut].name,
    trainFiles: rows.fit.map((r) => files[r.file].name),
    inputs,
    rows,
    scalers: Object.fromEntries(rows.fit.map((r) => [files[r.file].name, scalers[r.file]])),
    pooled,
    train: rangeWindows(files, rows.train, (f) => scalers[f], window),
    val: rangeWindows(files, rows.val, (f) => scalers[f], window),
    calibration,
    profile,
    calibrationWindows: rangeWindows(files, [rows.calibrate], () => ownScaler, window),
    scored: {
      withoutProfile: rangeWindows(files, [rows.score], () => pooled, window),
      withProfile: rangeWindows(files, [rows.score], () => ownScaler, window),
    },
  };
}
