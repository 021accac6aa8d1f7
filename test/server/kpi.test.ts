import { join } from 'node:path';
import request from 'supertest';
import { makeTempDir } from '../helpers/tmp.js';
import { calls, expectMatchesContract, makeApp, saveFakeKpiModel, type TestApp } from './helpers.js';

let tmp: ReturnType<typeof makeTempDir>;
let t: TestApp;

const W = [
  [-95, -11, 12],
  [-95.5, -11.2, 12.1],
  [-96, -11.5, 11],
  [-96.5, -11.4, 10],
];

beforeAll(async () => {
  tmp = makeTempDir();
  await saveFakeKpiModel(join(tmp.dir, 'kpi-a'), 4);
  await saveFakeKpiModel(join(tmp.dir, 'kpi-b'), 6);
  t = await makeApp(tmp.dir);
});
afterAll(() => tmp.cleanup());

describe('POST /v1/kpi/predict', () => {
  test('one prediction per window, in physical units, with probability and label', async () => {
    const res = await request(t.app).post('/v1/kpi/predict').send({ windows: [W, W.map((r) => [r[0], r[1], 12])] });
    expect(res.status).toBe(200);
    expectMatchesContract('predictKpi', 200, res.body);
    expect(res.body.model).toBe('kpi-a');
    expect(res.body.scaler).toBe('pooled');
    expect(res.body.windowLength).toBe(4);
    const [a, b] = res.body.predictions;
    expect(a.rsrp).toBeCloseTo(-96, 6);
    expect(a.rsrq).toBeCloseTo(-11.65, 6);
    expect(a.sinr).toBeCloseTo(11, 6);
    expect(a.interferenceProbability).toBeCloseTo(1 / (1 + Math.exp(-2)), 6);
    expect(a.interference).toBe(true);
    expect(b.interferenceProbability).toBeCloseTo(0.5, 6);
  });

  test('scaler chosen by name; an unknown scaler is a 422 listing the saved ones', async () => {
    const res = await request(t.app).post('/v1/kpi/predict').send({ windows: [W], scaler: 'other' });
    expect(res.status).toBe(200);
    expect(res.body.scaler).toBe('other');
    expect(res.body.predictions[0].rsrp).toBeCloseTo(4, 6);
    const bad = await request(t.app).post('/v1/kpi/predict').send({ windows: [W], scaler: 'Lvl_9.csv' });
    expect(bad.status).toBe(422);
    expect(bad.body.code).toBe('unknown-model');
    expect(bad.body.detail).toMatch(/scaler: model 'kpi-a' has no scaler 'Lvl_9.csv' \(it has: pooled, other\)/);
    expectMatchesContract('predictKpi', 422, bad.body);
    const models = await request(t.app).get('/v1/models');
    expect(models.body.models[0].scalers).toEqual(['pooled', 'other']);
  });

  test('model chosen by name; its window length is enforced', async () => {
    const six = [...W, [-97, -12, 9], [-97, -12, 9]];
    const ok = await request(t.app).post('/v1/kpi/predict').send({ windows: [six], model: 'kpi-b' });
    expect(ok.status).toBe(200);
    expect(ok.body.model).toBe('kpi-b');
    const bad = await request(t.app).post('/v1/kpi/predict').send({ windows: [W], model: 'kpi-b' });
    expect(bad.status).toBe(422);
    expect(bad.body.code).toBe('invalid-window');
    expect(bad.body.detail).toMatch(/windows\/0: has 4 measurements but model 'kpi-b' takes windows of 6/);
    const unknown = await request(t.app).post('/v1/kpi/predict').send({ windows: [W], model: 'kpi-z' });
    expect(unknown.status).toBe(422);
    expect(unknown.body.code).toBe('unknown-model');
  });

  test('concurrent requests share a forward pass', async () => {
    const batched = await makeApp(tmp.dir, { maxQueueDelayUs: 100_000 });
    calls.predict.length = 0;
    const results = await Promise.all(Array.from({ length: 8 }, () => request(batched.app).post('/v1/kpi/predict').send({ windows: [W] })));
    for (const r of results) expect(r.status).toBe(200);
    expect(calls.predict.reduce((a, b) => a + b, 0)).toBe(8);
    expect(calls.predict.length).toBeLessThan(8);
  });

  test('503 model-not-loaded when no KPI model is served', async () => {
    const empty = makeTempDir();
    try {
      const none = await makeApp(empty.dir);
      const res = await request(none.app).post('/v1/kpi/predict').send({ windows: [W] });
      expect(res.status).toBe(503);
      expect(res.body.code).toBe('model-not-loaded');
      expectMatchesContract('predictKpi', 503, res.body);
    } finally {
      empty.cleanup();
    }
  });
});
