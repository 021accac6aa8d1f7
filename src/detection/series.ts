/**
 * One long series through a window predictor, in bounded batches: the window ending at row i
 * (rows i - w + 1 .. i) gives row i's interference probability and the forecast of row i + 1.
 * Only one batch of windows exists at a time, so memory grows with the series' answers (four
 * numbers a row), not with its windows (3w numbers a row). The first w - 1 rows have no window.
 */
import type { RawRow, WindowPredictor } from './window-predictor.js';

/** Windows per predictor call: the /v1/kpi/predict limit. */
export const SERIES_BATCH_WINDOWS = 1024;

export interface SeriesAnswers {
  /** Per row, null for the first w - 1 rows and for refused windows. */
  probability: Array<number | null>;
  /** Per row, the forecast of the next row made at this row (null where probability is). */
  forecast: Array<[number, number, number] | null>;
  /** Windows the predictor refused (too many missing values). */
  refused: number;
}

export async function runSeries(rows: readonly RawRow[], predictor: WindowPredictor, batchWindows = SERIES_BATCH_WINDOWS): Promise<SeriesAnswers> {
  const w = predictor.windowLength;
  const probability: Array<number | null> = new Array<number | null>(rows.length).fill(null);
  const forecast: Array<[number, number, number] | null> = new Array<[number, number, number] | null>(rows.length).fill(null);
  let refused = 0;
  for (let first = w - 1; first < rows.length; first += batchWindows) {
    const last = Math.min(rows.length, first + batchWindows);
    const windows: RawRow[][] = [];
    for (let i = first; i < last; i++) windows.push(rows.slice(i - w + 1, i + 1));
    const answers = await predictor.predictWindows(windows);
    answers.forEach((a, b) => {
      if (a === null) refused++;
      else {
        probability[first + b] = a.probability;
        forecast[first + b] = a.forecast;
      }
    });
  }
  return { probability, forecast, refused };
}
