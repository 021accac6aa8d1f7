/**
 * A long series of one cell's raw rows through the KPI service without the caller cutting
 * windows: every row that ends a full window gets the window's interference probability and
 * next-step forecast, computed `batchSize` windows at a time (memory bounded by the batch,
 * not the series). The answer for row e is exactly the service's answer for the window
 * rows[e - window + 1 .. e].
 */
import { gapProblem } from '../../measurements/gaps.js';
import { measurementRows, predictWindows, type KpiPredictOptions } from './service.js';
import type { KpiServable } from './servable.js';

export interface KpiSeriesOptions extends KpiPredictOptions {
  /** Windows per forward pass (default 512). */
  batchSize?: number;
}

export interface KpiSeries {
  /** The scaler used: a saved scaler's name, or 'profile'. */
  scaler: string;
  /**
   * Per row, the interference probability of the window ending there; null for the first
   * window - 1 rows and for windows with more gaps than the model accepts (kpi-gaps.ts).
   */
  probability: Array<number | null>;
  /** Per row, the forecast [rsrp, rsrq, sinr] of the next row; null where probability is. */
  forecast: Array<[number, number, number] | null>;
}

export const DEFAULT_SERIES_BATCH = 512;

export async function predictSeries(model: KpiServable, rows: unknown, opts: KpiSeriesOptions = {}): Promise<KpiSeries> {
  const checked = measurementRows(rows, 'rows');
  const batchSize = opts.batchSize ?? DEFAULT_SERIES_BATCH;
  if (!(Number.isInteger(batchSize) && batchSize >= 1)) throw new RangeError(`batchSize: must be an integer >= 1, got ${batchSize}`);
  const T = model.windowLength;
  const probability: KpiSeries['probability'] = new Array(checked.length).fill(null);
  const forecast: KpiSeries['forecast'] = new Array(checked.length).fill(null);
  let scaler = opts.profile !== undefined ? 'profile' : (opts.scaler ?? model.scalers[0]);
  let ends: number[] = [];
  const flush = async () => {
    if (ends.length === 0) return;
    const answer = await predictWindows(model, ends.map((e) => checked.slice(e - T + 1, e + 1)), opts);
    scaler = answer.scaler;
    answer.predictions.forEach((p, k) => {
      probability[ends[k]] = p.interferenceProbability;
      forecast[ends[k]] = [p.rsrp, p.rsrq, p.sinr];
    });
    ends = [];
  };
  for (let e = T - 1; e < checked.length; e++) {
    if (gapProblem(checked.slice(e - T + 1, e + 1), model.context ?? T) === undefined) ends.push(e);
    if (ends.length === batchSize) await flush();
  }
  await flush();
  return { scaler, probability, forecast };
}
