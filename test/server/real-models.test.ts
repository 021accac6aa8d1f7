/**
 * The real model families through the HTTP API: a tiny routed allocation model trained with
 * the allocation module's own API, and a tiny (untrained) LSTM KPI model saved with the KPI
 * module's own API, served by the default loaders.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { loadAllocationServable } from '../../src/dnn/allocation/servable.js';
import { buildManifest, generateAllocationData, saveAllocationModel, trainAllocation, DEFAULT_TRAIN_OPTIONS, type AllocationTask } from '../../src/dnn/allocation/index.js';
import { initEngine } from '../../src/dnn/engine.js';
import { createKpiModel } from '../../src/dnn/kpi/registry.js';
import { KPI_MODEL_KIND, saveKpiModel, type KpiModelManifest } from '../../src/dnn/kpi/model.js';
import { modelFilePath } from '../../src/dnn/model-io.js';
import { defaultLoaders } from '../../src/server/loaders.js';
import { solveBatch } from '../../src/solvers/solve-batch.js';
import { makeTempDir } from '../helpers/tmp.js';
import { expectMatchesContract, makeApp, type TestApp } from './helpers.js';

let tmp: ReturnType<typeof makeTempDir>;
let t: TestApp;
const TASKS: AllocationTask[] = [
  { problem: 'fdma-delay', n: 5 },
  { problem: 'sum-capacity', n: 5 },
  { problem: 'sum-capacity', n: 8 },
];
const WINDOW = 6;
const SCALER = { columns: ['RSRP', 'RSRQ', 'SINR'], min: [-120, -20, -10], max: [-70, -3, 30] };

beforeAll(async () => {
  await initEngine();
  tmp = makeTempDir();
  const data = generateAllocationData(TASKS, { train: 64, test: 16 }, 5);
  const opts = { ...DEFAULT_TRAIN_OPTIONS, scheme: 'routed' as const, t1: 3, t2: 3, evalEvery: 0, network: { hiddenWidths: [8, 8, 8, 8], routerHidden: 4 } };
  const r = trainAllocation(data, opts);
  saveAllocationModel(join(tmp.dir, 'allocation-routed'), r.net, buildManifest(r, opts, { source: data.source, seed: 5 }, 'test'));
  saveAllocationModel(join(tmp.dir, 'allocation-corrupt'), r.net, buildManifest(r, opts, { source: data.source, seed: 5 }, 'test'));
  r.net.dispose();
  const bin = modelFilePath(join(tmp.dir, 'allocation-corrupt'), 'weights.bin');
  const bytes = readFileSync(bin);
  bytes[10] ^= 0xff;
  writeFileSync(bin, bytes);

  const kpi = createKpiModel('hard-sharing', { hidden: 8, window: WINDOW, seed: 3 });
  const manifest = {
    kind: KPI_MODEL_KIND,
    arch: 'hard-sharing',
    config: kpi.config,
    window: WINDOW,
    scalers: { 'a.csv': SCALER, 'b.csv': { ...SCALER, min: [-110, -18, -5] } },
    data: { files: [] },
    training: { epochs: 0 },
    test: {},
    backend: 'test',
    toolVersion: 'test',
    createdAt: new Date(0).toISOString(),
  } as unknown as KpiModelManifest;
  saveKpiModel(join(tmp.dir, 'kpi-hard-sharing'), kpi, manifest);
  t = await makeApp(tmp.dir, {}, true, await defaultLoaders());
}, 120_000);
afterAll(() => tmp.cleanup());

describe('real models', () => {
  test('the corrupted allocation model is refused, the others served', async () => {
    const res = await request(t.app).get('/v1/models');
    expect(res.status).toBe(200);
    expectMatchesContract('listModels', 200, res.body);
    expect(res.body.models.map((m: { name: string }) => m.name)).toEqual(['allocation-routed', 'kpi-hard-sharing']);
    expect(res.body.refused).toEqual([{ name: 'allocation-corrupt', reason: expect.stringMatching(/sha256 .* does not match/) }]);
    const alloc = res.body.models[0];
    expect(alloc).toMatchObject({ kind: 'allocation', scheme: 'routed', tasks: TASKS });
    expect(alloc.manifest).toMatchObject({ kind: 'radio-mtl/allocation', training: expect.objectContaining({ t1: 3 }) });
    expect(res.body.models[1]).toMatchObject({ kind: 'kpi', architecture: 'hard-sharing', windowLength: WINDOW });
  });

  test('dnn allocation: feasible powers for fdma-delay, 422 naming the served sizes otherwise', async () => {
    const res = await request(t.app).post('/v1/allocate').send({ problem: 'fdma-delay', gains: [0.8, 1.7, 0.3, 2.4, 1.1] });
    expect(res.status).toBe(200);
    expectMatchesContract('allocate', 200, res.body);
    expect(res.body.model).toBe('allocation-routed');
    const total = res.body.power.reduce((a: number, b: number) => a + b, 0);
    expect(total).toBeCloseTo(10, 12);
    // Powers stay in float64 after the softmax, so sum P <= Ptot holds to round-off.
    expect(res.body.constraintViolation).toBeLessThan(1e-12);
    const batch = await request(t.app).post('/v1/allocate').send({ problem: 'sum-capacity', gains: Array.from({ length: 40 }, (_, i) => Array.from({ length: 8 }, (_, j) => 0.05 + ((i + 3 * j) % 7) / 2)) });
    expect(batch.status).toBe(200);
    for (const row of batch.body.power) for (const p of row) expect(p).toBeGreaterThanOrEqual(0);
    const bad = await request(t.app).post('/v1/allocate').send({ problem: 'fdma-delay', gains: [1, 2, 3, 4, 5, 6, 7, 8] });
    expect(bad.status).toBe(422);
    expect(bad.body.code).toBe('unsupported-size');
    expect(bad.body.detail).toMatch(/served sizes: 5\b/);
    // A zero gain is outside what the network was trained on: the exact solver answers it.
    const zero = await request(t.app).post('/v1/allocate').send({ problem: 'sum-capacity', gains: [1, 0, 2, 3, 4] });
    expect(zero.status).toBe(200);
    expect(zero.body.solvedBy).toBe('exact');
    expect(zero.body.power[1]).toBe(0);
  });

  test('dnn: an instance outside the training range gets the exact optimum and the flag, for every problem', async () => {
    const far = [0.8, 1.7, 0.3, 2.4, 1e6];
    for (const problem of ['fdma-delay', 'sum-capacity'] as const) {
      const res = await request(t.app).post('/v1/allocate').send({ problem, gains: [[0.8, 1.7, 0.3, 2.4, 1.1], far] });
      expect(res.status).toBe(200);
      expectMatchesContract('allocate', 200, res.body);
      expect(res.body.solvedBy).toEqual(['dnn', 'exact']);
      const exact = solveBatch(problem, 'exact', [far]);
      expect(res.body.objective[1]).toBeCloseTo(exact.objective[0], 12);
      res.body.power[1].forEach((p: number, i: number) => expect(p).toBeCloseTo(exact.power[0][i], 12));
    }
  });

  test('small and large batches agree with the allocation module\'s own forward pass', async () => {
    const reference = await loadAllocationServable(join(tmp.dir, 'allocation-routed'), 'allocation-routed', { engine: 'tfjs' });
    const rows = Array.from({ length: 64 }, (_, i) => Array.from({ length: 5 }, (_, j) => 0.05 + ((i * 5 + j * 3) % 11) / 3));
    for (const problem of ['fdma-delay', 'sum-capacity']) {
      const big = await request(t.app).post('/v1/allocate').send({ problem, gains: rows });
      const small = await request(t.app).post('/v1/allocate').send({ problem, gains: rows.slice(0, 3) });
      expect(big.status).toBe(200);
      expect(small.status).toBe(200);
      for (let r = 0; r < 3; r++) for (let i = 0; i < 5; i++) expect(Math.abs(small.body.power[r][i] - big.body.power[r][i])).toBeLessThan(1e-4);
      // Both agree with the allocation module's own forward pass.
      const ref = await reference.allocate(problem as 'fdma-delay' | 'sum-capacity', rows);
      for (let r = 0; r < 64; r++) for (let i = 0; i < 5; i++) expect(Math.abs(ref[r][i] - big.body.power[r][i])).toBeLessThan(1e-4);
    }
  });

  test('kpi prediction: raw windows in, physical units out, window length enforced', async () => {
    const w = Array.from({ length: WINDOW }, (_, i) => [-95 - i * 0.2, -11 - i * 0.05, 12 - i * 0.3]);
    const res = await request(t.app).post('/v1/kpi/predict').send({ windows: [w, w] });
    expect(res.status).toBe(200);
    expectMatchesContract('predictKpi', 200, res.body);
    const [a, b] = res.body.predictions;
    expect(a).toEqual(b);
    // Residual model: an untrained model predicts near the last step, in dBm/dB.
    expect(a.rsrp).toBeGreaterThan(-130);
    expect(a.rsrp).toBeLessThan(-60);
    expect(a.interferenceProbability).toBeGreaterThanOrEqual(0);
    expect(a.interferenceProbability).toBeLessThanOrEqual(1);
    // The pooled scaler (default) spans both saved scalers; a named one is used as saved.
    const models = await request(t.app).get('/v1/models');
    expect(models.body.models[1].scalers).toEqual(['pooled', 'a.csv', 'b.csv']);
    expect(models.body.models[1].manifest.scaler).toMatchObject({ min: [-120, -20, -10], max: [-70, -3, 30] });
    const named = await request(t.app).post('/v1/kpi/predict').send({ windows: [w], scaler: 'b.csv' });
    expect(named.status).toBe(200);
    expect(named.body.scaler).toBe('b.csv');
    expectMatchesContract('predictKpi', 200, named.body);
    expect(a.extrapolated).toBe(false);
    // Inside the reporting range but beyond what the model was trained on: flagged.
    const beyond = w.map((r) => [r[0], r[1], r[2]]);
    beyond[WINDOW - 1][0] = -150;
    const flagged = await request(t.app).post('/v1/kpi/predict').send({ windows: [beyond] });
    expect(flagged.status).toBe(200);
    expect(flagged.body.predictions[0].extrapolated).toBe(true);
    const short = await request(t.app).post('/v1/kpi/predict').send({ windows: [w.slice(1)] });
    expect(short.status).toBe(422);
    expect(short.body.detail).toMatch(/windows\/0: has 5 measurements but model 'kpi-hard-sharing' takes windows of 6/);
  });
});
