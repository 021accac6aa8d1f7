/**
 * Windows of one cell's raw history (calibration rows, oldest first, `null` where a value is
 * missing), each with the row that followed it: what a profile learns the cell's forecast
 * gain from (src/dnn/kpi/forecast-gain.ts). Gaps are filled as prediction windows' are
 * (src/measurements/gaps.ts, over the whole history); a window whose next row has a gap is
 * skipped, since that row's filled value is not a measurement. Long histories are thinned to
 * evenly spaced windows, so calibration costs at most `maxWindows` forward passes.
 */
import { fillGaps, type GappyWindow } from './gaps.js';

/** Most windows a history contributes (evenly spaced over it). */
export const MAX_HISTORY_WINDOWS = 2048;

export interface HistoryWindows {
  /** Filled raw windows [count][window][3]. */
  windows: number[][][];
  /** [count][3] the measured row after each window. */
  next: number[][];
}

const measuredValue = (v: number | null): boolean => v !== null && Number.isFinite(v);

export function historyWindows(rows: GappyWindow, window: number, maxWindows = MAX_HISTORY_WINDOWS): HistoryWindows {
  const starts: number[] = [];
  let complete = true;
  for (let k = 0; k < rows.length; k++) {
    const row = rows[k];
    const measured = measuredValue(row[0]) && measuredValue(row[1]) && measuredValue(row[2]);
    complete &&= measured;
    if (measured && k >= window) starts.push(k - window);
  }
  if (starts.length === 0) return { windows: [], next: [] };
  // A history without gaps is its own filled copy (100,000 rows: no copy to make).
  const filled = complete && Array.isArray(rows) ? (rows as number[][]) : fillGaps(rows).window;
  const stride = Math.max(1, starts.length / maxWindows);
  const picked: number[] = [];
  for (let s = 0; Math.floor(s) < starts.length && picked.length < maxWindows; s += stride) picked.push(starts[Math.floor(s)]);
  return { windows: picked.map((k) => filled.slice(k, k + window)), next: picked.map((k) => filled[k + window]) };
}
