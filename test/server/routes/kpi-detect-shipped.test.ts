/**
 * POST /v1/kpi/detect with the shipped KPI model: every row's answer is what POST /v1/kpi/predict
 * answers for the window ending at that row (same gap filling, same model path), so detection
 * adds episodes, never other numbers.
 */
import request from 'supertest';
import { defaultLoaders } from '../../../src/server/loaders.js';
import { captureLogger, makeApp, type TestApp } from '../helpers.js';

let t: TestApp;
beforeAll(async () => {
  t = await makeApp('models', {}, true, await defaultLoaders(captureLogger().logger));
});

test('per-row probabilities and forecasts equal /v1/kpi/predict on each row\'s window, nulls included', async () => {
  // 90 rows: a clean cell whose SINR and RSRQ collapse over rows 50-70, with a few missing values.
  const rows: Array<Array<number | null>> = Array.from({ length: 90 }, (_, i) => {
    const dip = i >= 50 && i <= 70 ? 1 : 0;
    return [-92 + Math.sin(i / 5), -10.5 - 6 * dip + 0.1 * Math.cos(i), 25 - 22 * dip + Math.sin(i / 3)];
  });
  rows[40][1] = null;
  rows[60] = [null, null, 3];
  const detect = await request(t.app).post('/v1/kpi/detect').send({ rows });
  expect(detect.status).toBe(200);
  const w = detect.body.windowLength as number;
  expect(w).toBe(35);
  const windows = rows.slice(w - 1).map((_, k) => rows.slice(k, k + w));
  const predict = await request(t.app).post('/v1/kpi/predict').send({ windows });
  expect(predict.status).toBe(200);
  const expected = predict.body.predictions as Array<{ interferenceProbability: number; rsrp: number; rsrq: number; sinr: number }>;
  expect(detect.body.interferenceProbability).toEqual([...Array(w - 1).fill(null), ...expected.map((p) => p.interferenceProbability)]);
  expect(detect.body.forecast.slice(w - 1)).toEqual(expected.map((p) => [p.rsrp, p.rsrq, p.sinr]));
  // The dip is detected: one episode inside it, nothing in the clean part.
  expect(detect.body.episodes.length).toBeGreaterThanOrEqual(1);
  for (const e of detect.body.episodes) expect(e.start).toBeGreaterThanOrEqual(50);
});
