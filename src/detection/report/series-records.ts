/**
 * A cell's series from CSV records (csv-parse objects, one per row, keyed by the header): an
 * FccIQ file or any CSV with RSRP, RSRQ and SINR columns (names matched without case), and
 * optionally a time column (`Time` or `Timestamp`: ISO-8601 text, UTC without a zone, or epoch
 * ms) and a label column (`lab_inf`: 1 where the row is interfered). Missing values (empty,
 * `-`, `nan`, `null`) are null. Rows stay in file order.
 * Self-contained but for timestampMs: the page runs this function in the browser too.
 */
import { timestampMs } from '../timestamps.js';

export interface CsvSeries {
  rows: Array<Array<number | null>>;
  /** Epoch ms per row, when the file has a time column. */
  timesMs?: number[];
  /** 0/1 per row (null where missing), when the file has a label column. */
  labels?: Array<number | null>;
}

/** Throws an Error whose message names the row and column of the first bad value. */
export function seriesFromRecords(records: Array<Record<string, string>>): CsvSeries {
  if (records.length === 0) throw new Error('no data rows (a header row and at least one row are needed)');
  const header = Object.keys(records[0]);
  const find = (...names: string[]) => header.find((h) => names.includes(h.trim().toLowerCase()));
  const kpi = ['rsrp', 'rsrq', 'sinr'].map((c) => find(c));
  const absent = ['RSRP', 'RSRQ', 'SINR'].filter((_, j) => kpi[j] === undefined);
  if (absent.length > 0) throw new Error(`missing column${absent.length > 1 ? 's' : ''} ${absent.join(', ')} (have: ${header.join(', ')})`);
  const time = find('time', 'timestamp');
  const label = find('lab_inf');
  const missing = (text: string | undefined) => text === undefined || ['', '-', 'nan', 'null'].includes(text.trim().toLowerCase());
  const rows = records.map((r, i) =>
    kpi.map((c) => {
      const text = r[c as string];
      if (missing(text)) return null;
      const v = Number(text);
      if (!Number.isFinite(v)) throw new Error(`row ${i + 2}, column ${c}: '${text}' is not a number`);
      return v;
    }),
  );
  const out: CsvSeries = { rows };
  if (time !== undefined) {
    out.timesMs = records.map((r, i) => {
      const text = r[time].trim();
      const t = timestampMs(/^\d+(\.\d+)?$/.test(text) ? Number(text) : text);
      if (Number.isNaN(t)) throw new Error(`row ${i + 2}, column ${time}: '${text}' is neither ISO-8601 text nor epoch milliseconds`);
      return t;
    });
  }
  if (label !== undefined) {
    out.labels = records.map((r, i) => {
      if (missing(r[label])) return null;
      const v = Number(r[label]);
      if (v !== 0 && v !== 1) throw new Error(`row ${i + 2}, column ${label}: must be 0 or 1, got '${r[label]}'`);
      return v;
    });
  }
  return out;
}
