/**
 * FccIQ KPI data (the testbed CSVs of the KPI/interference paper).
 *
 * Pipeline, per CSV file (each is one scenario, a contiguous time series):
 *  1. parse with csv-parse; drop rows whose RSRP, RSRQ, SINR or lab_inf is missing
 *     ('-', empty or absent), counting them per file;
 *  2. sort by Time (stable) and split chronologically 80/10/10 into train/val/test;
 *  3. fit the input scaler (kpi-inputs.ts; by default min-max) on the train part's
 *     RSRP/RSRQ/SINR and apply it ONCE to all three parts (the same scaled columns are
 *     inputs and regression targets; the authors' code scales them a second time,
 *     see docs/kpi.md);
 *  4. build sliding windows inside each split (src/datasets/kpi/windows.ts).
 * Units: RSRP in dBm, RSRQ and SINR in dB; scaled values are dimensionless.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { KPI_COLUMNS } from '../../measurements/domain.js';
import { DEFAULT_KPI_INPUTS, fitFileScalers, rowsOf, type KpiInputs } from '../../measurements/inputs.js';
import { scaleRange, scaleValue, type MinMaxScaler } from '../../measurements/scaler.js';
import { buildWindows, type Segment, type WindowSet } from './windows.js';
import { InputError } from '../../input-error.js';

export const KPI_KEYS = ['rsrp', 'rsrq', 'sinr'] as const;
export type KpiKey = (typeof KPI_KEYS)[number];
export const KPI_UNITS: Record<KpiKey, string> = { rsrp: 'dBm', rsrq: 'dB', sinr: 'dB' };
export const LABEL_COLUMN = 'lab_inf';
export const DEFAULT_WINDOW = 35;
export const SPLIT_FRACTIONS = { train: 0.8, val: 0.1, test: 0.1 } as const;
export const KPI_SPLITS = ['train', 'val', 'test'] as const;
export type KpiSplit = (typeof KPI_SPLITS)[number];

export class FcciqError extends InputError {
  override name = 'FcciqError';
}

/** One cleaned CSV: physical values and labels in time order. */
export interface FcciqFile {
  name: string;
  rowsRead: number;
  /** Rows dropped because RSRP, RSRQ, SINR or lab_inf was missing. */
  dropped: number;
  /** [n, 3] RSRP, RSRQ, SINR (dBm, dB, dB). */
  values: Float64Array;
  labels: Int32Array;
}

export interface FileSummary {
  name: string;
  rowsRead: number;
  dropped: number;
  rows: Record<KpiSplit, number>;
  windows: Record<KpiSplit, number>;
  positives: Record<KpiSplit, number>;
  scaler: MinMaxScaler;
}

export interface KpiDataset {
  window: number;
  /** How raw values became inputs (kpi-inputs.ts). */
  inputs: KpiInputs;
  files: FileSummary[];
  train: WindowSet;
  val: WindowSet;
  test: WindowSet;
}

function isMissing(v: unknown): boolean {
  if (v === undefined || v === null) return true;
  const s = String(v).trim();
  return s === '' || s === '-' || s.toLowerCase() === 'nan';
}

/** Parses one CSV text. `name` is used in error messages. */
export function parseFcciqCsv(text: string, name: string): FcciqFile {
  let records: Record<string, string>[];
  try {
    records = parse(text, { columns: true, skip_empty_lines: true, trim: true }) as Record<string, string>[];
  } catch (err) {
    throw new FcciqError(`${name}: not a valid CSV (${err instanceof Error ? err.message : String(err)})`);
  }
  if (records.length === 0) throw new FcciqError(`${name}: no data rows`);
  const header = Object.keys(records[0]);
  for (const col of [...KPI_COLUMNS, LABEL_COLUMN]) {
    if (!header.includes(col)) throw new FcciqError(`${name}: missing column '${col}' (have: ${header.join(', ')})`);
  }
  const hasTime = header.includes('Time');
  const kept: { t: string; v: number[]; l: number }[] = [];
  let dropped = 0;
  records.forEach((r, i) => {
    if ([...KPI_COLUMNS, LABEL_COLUMN].some((c) => isMissing(r[c]))) {
      dropped++;
      return;
    }
    const v = KPI_COLUMNS.map((c) => Number(r[c]));
    v.forEach((x, j) => {
      if (!Number.isFinite(x)) throw new FcciqError(`${name}: row ${i + 2}, column ${KPI_COLUMNS[j]} must be a number, got '${r[KPI_COLUMNS[j]]}'`);
    });
    const l = Number(r[LABEL_COLUMN]);
    if (l !== 0 && l !== 1) throw new FcciqError(`${name}: row ${i + 2}, column ${LABEL_COLUMN} must be 0 or 1, got '${r[LABEL_COLUMN]}'`);
    kept.push({ t: hasTime ? r.Time : '', v, l });
  });
  // Chronological order (stable: equal or absent times keep file order).
  if (hasTime) kept.sort((a, b) => (a.t < b.t ? -1 : a.t > b.t ? 1 : 0));
  const values = new Float64Array(kept.length * 3);
  const labels = new Int32Array(kept.length);
  kept.forEach((k, i) => {
    values.set(k.v, i * 3);
    labels[i] = k.l;
  });
  return { name, rowsRead: records.length, dropped, values, labels };
}

/** Sorted list of the CSV files in `dir`; a clear error when there are none. */
export function listFcciqFiles(dir: string): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new FcciqError(`--data: '${dir}' is not a directory`);
  const files = readdirSync(dir)
    .filter((f) => f.toLowerCase().endsWith('.csv'))
    .sort()
    .map((f) => join(dir, f));
  if (files.length === 0) throw new FcciqError(`--data: no .csv files in '${dir}'`);
  return files;
}

/** Row counts of the chronological 80/10/10 split of n rows. */
export function splitSizes(n: number): Record<KpiSplit, number> {
  const train = Math.floor(n * SPLIT_FRACTIONS.train);
  const val = Math.floor(n * SPLIT_FRACTIONS.val);
  return { train, val, test: n - train - val };
}

/**
 * Splits, scales and windows cleaned files (see the module comment). `scalers` (by
 * file name; e.g. those saved with a model) replace fitting for the files they name;
 * `inputs` says how the others are fitted.
 */
export function prepareKpiDataset(files: FcciqFile[], window = DEFAULT_WINDOW, scalers: Record<string, MinMaxScaler> = {}, inputs: KpiInputs = DEFAULT_KPI_INPUTS): KpiDataset {
  if (!Number.isInteger(window) || window < 1) throw new FcciqError(`--window must be an integer >= 1, got ${window}`);
  const segs: Record<KpiSplit, Segment[]> = { train: [], val: [], test: [] };
  const summaries: FileSummary[] = [];
  const sizesOf = files.map((f) => {
    const sizes = splitSizes(f.labels.length);
    if (sizes.train < 1) throw new FcciqError(`${f.name}: too few rows (${f.labels.length}) to split`);
    return sizes;
  });
  const fitted = fitFileScalers(inputs, files.map((f, fi) => rowsOf(f.values, 0, sizesOf[fi].train)));
  files.forEach((f, fi) => {
    const n = f.labels.length;
    const sizes = sizesOf[fi];
    const scaler = scalers[f.name] ?? fitted.perFile[fi];
    const range = [0, 1, 2].map((j) => scaleRange(scaler, j));
    const bounds: Record<KpiSplit, [number, number]> = {
      train: [0, sizes.train],
      val: [sizes.train, sizes.train + sizes.val],
      test: [sizes.train + sizes.val, n],
    };
    const windows = { train: 0, val: 0, test: 0 };
    const positives = { train: 0, val: 0, test: 0 };
    for (const split of KPI_SPLITS) {
      const [a, b] = bounds[split];
      const values = new Float32Array((b - a) * 3);
      for (let i = a; i < b; i++) for (let j = 0; j < 3; j++) values[(i - a) * 3 + j] = scaleValue(scaler, j, f.values[i * 3 + j]);
      const labels = f.labels.slice(a, b);
      segs[split].push({ values, labels, range, source: fi });
      windows[split] = Math.max(0, b - a - window);
      for (let i = a + window - 1; i < b - 1; i++) positives[split] += f.labels[i];
    }
    summaries.push({ name: f.name, rowsRead: f.rowsRead, dropped: f.dropped, rows: sizes, windows, positives, scaler });
  });
  return {
    window,
    inputs,
    files: summaries,
    train: buildWindows(segs.train, window),
    val: buildWindows(segs.val, window),
    test: buildWindows(segs.test, window),
  };
}

/** Loads every CSV in `dir` (see loadFcciqFiles) and prepares windows of length `window` (see prepareKpiDataset). */
export function loadKpiDataset(dir: string, window = DEFAULT_WINDOW, scalers: Record<string, MinMaxScaler> = {}, inputs: KpiInputs = DEFAULT_KPI_INPUTS): KpiDataset & { sha256: Record<string, string> } {
  const { files, sha256 } = loadFcciqFiles(dir);
  return { ...prepareKpiDataset(files, window, scalers, inputs), sha256 };
}

/** Parses every CSV in `dir` (sorted by name) and records each file's sha256. */
export function loadFcciqFiles(dir: string): { files: FcciqFile[]; sha256: Record<string, string> } {
  const sha256: Record<string, string> = {};
  const files = listFcciqFiles(dir).map((p) => {
    const text = readFileSync(p, 'utf8');
    sha256[basename(p)] = createHash('sha256').update(text).digest('hex');
    return parseFcciqCsv(text, basename(p));
  });
  return { files, sha256 };
}

/** Rows [start, end) of file `file` (an index into the files given). */
export interface RowRange {
  file: number;
  start: number;
  end: number;
}

/** Windows of `ranges`, each range scaled with `scalerOf(file)`; a window never crosses a range. */
export function rangeWindows(files: FcciqFile[], ranges: RowRange[], scalerOf: (file: number) => MinMaxScaler, window: number): WindowSet {
  const segments: Segment[] = ranges.map(({ file, start, end }) => {
    const f = files[file];
    const scaler = scalerOf(file);
    const values = new Float32Array((end - start) * 3);
    for (let i = start; i < end; i++) for (let j = 0; j < 3; j++) values[(i - start) * 3 + j] = scaleValue(scaler, j, f.values[i * 3 + j]);
    return { values, labels: f.labels.slice(start, end), range: [0, 1, 2].map((j) => scaleRange(scaler, j)), source: file };
  });
  return buildWindows(segments, window);
}
