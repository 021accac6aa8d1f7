import { join } from 'node:path';
import request from 'supertest';
import { makeTempDir } from '../../helpers/tmp.js';
import { calls, expectMatchesContract, makeApp, saveFakeKpiModel, type TestApp } from '../helpers.js';

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

describe('POST /v1/kpi/predict: missing measurements (null)', () => {
  /** W with the values at `gaps` ([step, column]) set to null. */
  const withGaps = (gaps: Array<[number, number]>) => W.map((row, t) => row.map((v, j) => (gaps.some(([s, c]) => s === t && c === j) ? null : v)));

  test('sparse nulls are filled (last value carried forward) and counted per window', async () => {
    const res = await request(t.app)
      .post('/v1/kpi/predict')
      .send({ windows: [W, withGaps([[3, 2]]), withGaps([[0, 0], [2, 1]])] });
    expect(res.status).toBe(200);
    expectMatchesContract('predictKpi', 200, res.body);
    const [complete, lastSinrMissing, twoMissing] = res.body.predictions;
    expect(complete.imputed).toBe(0);
    expect(lastSinrMissing.imputed).toBe(1);
    expect(twoMissing.imputed).toBe(2);
    // The fake model predicts last step + bias: the missing last SINR is the one before it (10 -> 11).
    expect(lastSinrMissing.sinr).toBeCloseTo(11 + 1, 6);
    expect(twoMissing.rsrp).toBeCloseTo(complete.rsrp, 6);
    for (const p of res.body.predictions) for (const v of [p.rsrp, p.rsrq, p.sinr, p.interferenceProbability]) expect(Number.isFinite(v)).toBe(true);
  });

  test('an all-null window is refused, naming it', async () => {
    const res = await request(t.app)
      .post('/v1/kpi/predict')
      .send({ windows: [W, W.map(() => [null, null, null])] });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('invalid-window');
    expect(res.body.detail).toBe('windows/1: 12 of its 12 values are null; at most 2 (20%) may be missing');
    expect(res.body.errors).toEqual([{ field: '/windows/1', message: '12 of its 12 values are null; at most 2 (20%) may be missing' }]);
    expectMatchesContract('predictKpi', 422, res.body);
  });

  test('more nulls than allowed is refused naming the window and the rule; up to the limit is answered', async () => {
    const many = await request(t.app)
      .post('/v1/kpi/predict')
      .send({ windows: [W, withGaps([[0, 0], [1, 1], [2, 2]])] });
    expect(many.status).toBe(422);
    expect(many.body.code).toBe('invalid-window');
    expect(many.body.detail).toBe('windows/1: 3 of its 12 values are null; at most 2 (20%) may be missing');
    expectMatchesContract('predictKpi', 422, many.body);
    const limit = await request(t.app)
      .post('/v1/kpi/predict')
      .send({ windows: [withGaps([[0, 1], [1, 1]])] });
    expect(limit.status).toBe(200);
    expect(limit.body.predictions[0].imputed).toBe(2);
  });

  test('a value that is neither a number nor null is still a 400 naming it', async () => {
    const res = await request(t.app)
      .post('/v1/kpi/predict')
      .send({ windows: [W.map((r, i) => (i === 1 ? [r[0], 'x', r[2]] : r))] });
    expect(res.status).toBe(400);
    expect(res.body.detail).toMatch(/windows\/0\/1\/1/);
  });
});
