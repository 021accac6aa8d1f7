/**
 * Row times of a cleaned FccIQ file: the FccIQ loader (src/datasets/kpi/fcciq.ts) keeps values and
 * labels but not `Time`; event metrics need seconds. Reads the same CSV, keeps the same rows
 * (RSRP, RSRQ, SINR and lab_inf present; the files are in time order) and checks they line up.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { FcciqFile } from '../datasets/kpi/fcciq.js';
import { InputError } from '../input-error.js';
import { seriesFromRecords } from './report/series-records.js';

/** Epoch ms of each row the loader kept of the CSV at `path` (loaded as `file`). */
export function fcciqRowTimes(path: string, file: Pick<FcciqFile, 'name' | 'labels'>): number[] {
  let series;
  try {
    series = seriesFromRecords(parse(readFileSync(path, 'utf8'), { columns: true, skip_empty_lines: true, trim: true }));
  } catch (err) {
    throw new InputError(file.name, (err as Error).message);
  }
  if (!series.timesMs || !series.labels) throw new InputError(file.name, 'needs Time and lab_inf columns for event metrics');
  const kept = series.rows.flatMap((r, i) => (r.every((v) => v !== null) && series.labels?.[i] !== null ? [i] : []));
  const lined = kept.length === file.labels.length && kept.every((i, k) => series.labels?.[i] === file.labels[k]);
  if (!lined) throw new InputError(file.name, 'its rows are not in time order, so times and the loaded rows do not line up');
  return kept.map((i) => (series.timesMs as number[])[i]);
}
