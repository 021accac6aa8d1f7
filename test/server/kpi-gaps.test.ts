/**
 * Missing measurements with the shipped KPI model (window 35, the LSTM reads the last 10
 * steps): sparse nulls are filled and answered, a column missing in all the steps the model
 * reads is refused.
 */
import request from 'supertest';
import { defaultLoaders } from '../../src/server/loaders.js';
import { captureLogger, expectMatchesContract, makeApp, type TestApp } from './helpers.js';

let t: TestApp;

beforeAll(async () => {
  t = await makeApp('models', {}, true, await defaultLoaders(captureLogger().logger));
});

/** A 35-step window drifting from [-95, -12, 20], SINR falling by `sinrDrop` dB. */
const window = (sinrDrop: number): Array<Array<number | null>> => Array.from({ length: 35 }, (_, i) => [-95 - 0.05 * i, -12 - 0.01 * i, 20 - (sinrDrop * i) / 34]);

test('sparse nulls: finite answers close to the complete window, imputed counted', async () => {
  const complete = [window(0), window(25)];
  const gappy = complete.map((w) => w.map((row, i) => row.map((v, j) => ((i * 3 + j) % 11 === 4 ? null : v))));
  const a = await request(t.app).post('/v1/kpi/predict').send({ windows: complete });
  const b = await request(t.app).post('/v1/kpi/predict').send({ windows: gappy });
  expect(b.status).toBe(200);
  expectMatchesContract('predictKpi', 200, b.body);
  const nulls = gappy[0].flat().filter((v) => v === null).length;
  expect(nulls).toBe(10);
  b.body.predictions.forEach((p: Record<string, number>, k: number) => {
    expect(p.imputed).toBe(nulls);
    for (const key of ['rsrp', 'rsrq', 'sinr', 'interferenceProbability']) expect(Number.isFinite(p[key])).toBe(true);
    expect(Math.abs(p.sinr - a.body.predictions[k].sinr)).toBeLessThan(2);
  });
  expect(a.body.predictions.map((p: { imputed: number }) => p.imputed)).toEqual([0, 0]);
});

test('a column null in all 10 steps the model reads is refused, though within the 20% limit', async () => {
  const w = window(25).map((row, i) => (i >= 25 ? [row[0], row[1], null] : row));
  const res = await request(t.app).post('/v1/kpi/predict').send({ windows: [window(0), w] });
  expect(res.status).toBe(422);
  expect(res.body.code).toBe('invalid-window');
  expect(res.body.detail).toBe('windows/1: SINR is null in all of its last 10 steps (the steps the model reads); each column needs at least one value there');
  expectMatchesContract('predictKpi', 422, res.body);
  w[30][2] = 15;
  expect((await request(t.app).post('/v1/kpi/predict').send({ windows: [w] })).status).toBe(200);
});
