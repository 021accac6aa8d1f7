/**
 * The Open Inference Protocol answers with the numbers of /v1 for the same inputs, with the
 * shipped models (models/): allocation powers and objectives within 1e-6 relative (also for
 * instances the exact solver answers), KPI probabilities within 1e-6 and next-step KPIs alike.
 */
import seedrandom from 'seedrandom';
import request from 'supertest';
import { defaultLoaders } from '../../src/server/loaders.js';
import { captureLogger, makeApp, type TestApp } from './helpers.js';

let t: TestApp;
let windowLength: number;
const random = seedrandom('inference-v2');
/** Exp(1) gains, the distribution the models were trained on. */
const gains = (rows: number, n: number) => Array.from({ length: rows }, () => Array.from({ length: n }, () => -Math.log(1 - random())));

beforeAll(async () => {
  t = await makeApp('models', {}, true, await defaultLoaders(captureLogger().logger));
  expect(t.ctx.registry.models.map((m) => m.name)).toEqual(['allocation-routed', 'interference-routed', 'kpi-ple']);
  windowLength = (await request(t.app).get('/v2/models/kpi-ple')).body.inputs[0].shape[1];
}, 60_000);

function expectClose(actual: number[], expected: number[], relative: number): void {
  expect(actual).toHaveLength(expected.length);
  const worst = Math.max(0, ...actual.map((a, i) => Math.abs(a - expected[i]) / Math.max(Math.abs(expected[i]), 1e-300)));
  expect(worst).toBeLessThanOrEqual(relative);
}

describe('/v2 infer equals /v1 with the shipped models', () => {
  test.each([
    ['fdma-delay', 5],
    ['fdma-delay', 20],
    ['sum-capacity', 8],
    ['sum-capacity', 15],
  ])('allocation-routed, %s, N = %d (one instance outside the trained range, solved exactly)', async (problem, n) => {
    const rows = gains(16, n);
    rows[3][0] = 1e-9; // outside the trained range: the exact solver answers it
    const v1 = await request(t.app).post('/v1/allocate').send({ problem, gains: rows });
    expect(v1.status).toBe(200);
    expect(v1.body.solvedBy).toContain('exact');
    for (const datatype of ['FP64', 'FP32']) {
      const v2 = await request(t.app)
        .post('/v2/models/allocation-routed/infer')
        .send({ parameters: { problem }, inputs: [{ name: 'gains', shape: [rows.length, n], datatype, data: rows.flat() }] });
      expect(v2.status).toBe(200);
      const out = Object.fromEntries((v2.body.outputs as Array<{ name: string; shape: number[]; data: unknown[] }>).map((o) => [o.name, o]));
      expect(out.power.shape).toEqual([rows.length, n]);
      expectClose(out.power.data as number[], (v1.body.power as number[][]).flat(), 1e-6);
      expectClose(out.objective.data as number[], v1.body.objective, 1e-6);
      expect(out.solved_by.data).toEqual(v1.body.solvedBy);
    }
  });

  test('kpi-ple: interference probability and next-step KPIs', async () => {
    const windows = Array.from({ length: 8 }, () =>
      Array.from({ length: windowLength }, () => [-120 + 50 * random(), -20 + 17 * random(), -5 + 30 * random()]),
    );
    const v1 = await request(t.app).post('/v1/kpi/predict').send({ windows });
    expect(v1.status).toBe(200);
    const v2 = await request(t.app)
      .post('/v2/models/kpi-ple/infer')
      .send({ inputs: [{ name: 'windows', shape: [windows.length, windowLength, 3], datatype: 'FP32', data: windows.flat(2) }] });
    expect(v2.status).toBe(200);
    const [probability, next, extrapolated] = v2.body.outputs as Array<{ data: unknown[] }>;
    const p = v1.body.predictions as Array<{ rsrp: number; rsrq: number; sinr: number; interferenceProbability: number; extrapolated: boolean }>;
    const diffs = (probability.data as number[]).map((x, i) => Math.abs(x - p[i].interferenceProbability));
    expect(Math.max(...diffs)).toBeLessThanOrEqual(1e-6);
    expectClose(next.data as number[], p.flatMap((x) => [x.rsrp, x.rsrq, x.sinr]), 1e-6);
    expect(extrapolated.data).toEqual(p.map((x) => x.extrapolated));
  });

  test('kpi-ple with a calibration profile: /v2 (profile as JSON text) answers as /v1', async () => {
    const rows = Array.from({ length: 200 }, () => [-110 + 30 * random(), -18 + 8 * random(), 0 + 25 * random()]);
    const { profile } = (await request(t.app).post('/v1/kpi/calibrate').send({ rows })).body as { profile: object };
    const windows = Array.from({ length: 4 }, () => Array.from({ length: windowLength }, () => rows[Math.floor(random() * rows.length)]));
    const v1 = await request(t.app).post('/v1/kpi/predict').send({ windows, profile });
    expect(v1.status).toBe(200);
    const v2 = await request(t.app)
      .post('/v2/models/kpi-ple/infer')
      .send({ parameters: { profile: JSON.stringify(profile) }, inputs: [{ name: 'windows', shape: [windows.length, windowLength, 3], datatype: 'FP32', data: windows.flat(2) }] });
    expect(v2.status).toBe(200);
    const p = v1.body.predictions as Array<{ interferenceProbability: number }>;
    const probability = (v2.body.outputs as Array<{ data: number[] }>)[0].data;
    expect(Math.max(...probability.map((x, i) => Math.abs(x - p[i].interferenceProbability)))).toBeLessThanOrEqual(1e-6);
    const foreign = await request(t.app)
      .post('/v2/models/kpi-ple/infer')
      .send({ parameters: { profile: JSON.stringify({ ...profile, model: 'kpi-ple@000000000000' }) }, inputs: [{ name: 'windows', shape: [1, windowLength, 3], datatype: 'FP32', data: windows[0].flat() }] });
    expect(foreign.status).toBe(400);
    expect(foreign.body.error).toMatch(/profile\.model: made for model 'kpi-ple@000000000000'/);
  });
});
