/** predictSeries: a long series of rows through the KPI service in bounded batches, row e answered as the window ending at e. */
import { loadKpiServable, type KpiServable } from '../../../src/dnn/kpi/servable.js';
import { predictWindows } from '../../../src/dnn/kpi/service.js';
import { predictSeries } from '../../../src/dnn/kpi/series.js';

let model: KpiServable;
beforeAll(async () => {
  model = await loadKpiServable('models/kpi-ple', 'kpi-ple', { engine: 'tfjs' });
}, 60_000);

const T = 35;
// 120 rows with an interference-like dip and a gap; rows 60..64 have no SINR at all.
const rows = Array.from({ length: 120 }, (_, i) => [-95 - (i % 7) * 0.5, i > 80 && i < 95 ? -18 : -11, i >= 60 && i < 65 ? null : i > 80 && i < 95 ? -2 : 15 - (i % 5)]);

test('row e gets the answer of the window ending at e; the first window - 1 rows get null', async () => {
  const series = await predictSeries(model, rows, { batchSize: 512 });
  expect(series.scaler).toBe('pooled');
  expect(series.probability).toHaveLength(rows.length);
  expect(series.probability.slice(0, T - 1).every((p) => p === null)).toBe(true);
  for (const e of [T - 1, 59, 70, 90, 119]) {
    const [p] = (await predictWindows(model, [rows.slice(e - T + 1, e + 1)])).predictions;
    expect(series.probability[e]).toBe(p.interferenceProbability);
    expect(series.forecast[e]).toEqual([p.rsrp, p.rsrq, p.sinr]);
  }
});

test('batch size changes nothing but the number of passes', async () => {
  const calls: number[] = [];
  const forward = async (w: number[][][], s: Parameters<KpiServable['predict']>[1]) => {
    calls.push(w.length);
    return model.predict(w, s);
  };
  const small = await predictSeries(model, rows, { batchSize: 7, forward });
  const large = await predictSeries(model, rows, { batchSize: 512 });
  expect(Math.max(...calls)).toBe(7);
  expect(calls.reduce((a, b) => a + b, 0)).toBe(rows.length - T + 1);
  expect(small).toEqual(large);
});

test('bad rows and batch sizes are refused naming the field', async () => {
  await expect(predictSeries(model, [[-95, -11, 99]])).rejects.toThrow(/^rows\/0\/2: SINR must be <= 40 dB$/);
  await expect(predictSeries(model, rows, { batchSize: 0 })).rejects.toThrow(/batchSize: must be an integer >= 1/);
});
