/** @jest-environment ./test/onnx/ort-environment.js */
/**
 * An ensemble is served as one model, unchanged routes: /v1/kpi/predict answers with the mean of
 * its members' probabilities and forecasts, on ONNX Runtime as on tfjs, and /v2 infers with it.
 */
import { join } from 'node:path';
import seedrandom from 'seedrandom';
import request from 'supertest';
import { writeFixture } from '../dnn/kpi/fixture.js';
import { makeTempDir } from '../helpers/tmp.js';
import { loadKpiDataset } from '../../src/datasets/kpi/fcciq.js';
import { scaleValue, unscaleValue } from '../../src/measurements/scaler.js';
import { inferenceWindows } from '../../src/datasets/kpi/windows.js';
import { initEngine } from '../../src/dnn/engine.js';
import type { InferenceEngine } from '../../src/dnn/inference-engine.js';
import { disposeKpiModel } from '../../src/dnn/kpi/base.js';
import type { KpiEnsemble } from '../../src/dnn/kpi/ensemble.js';
import { ensembleMembers, runKpiEnsembleTraining } from '../../src/dnn/kpi/ensemble-pipeline.js';
import { loadKpiModel } from '../../src/dnn/kpi/model.js';
import { predictKpi } from '../../src/dnn/kpi/predict.js';
import { pooledScaler } from '../../src/dnn/kpi/servable.js';
import { defaultLoaders } from '../../src/server/loaders.js';
import { captureLogger, makeApp, type TestApp } from './helpers.js';

const WINDOW = 6;
let tmp: ReturnType<typeof makeTempDir>;
const apps = {} as Record<InferenceEngine, TestApp>;
const random = seedrandom('ensemble-served');
const windowOf = () => Array.from({ length: WINDOW }, () => [-100 + 15 * random(), -14 + 5 * random(), 5 + 20 * random()]);

beforeAll(async () => {
  await initEngine();
  tmp = makeTempDir();
  writeFixture(join(tmp.dir, 'csv'), { files: 2, rows: 200 });
  const data = loadKpiDataset(join(tmp.dir, 'csv'), WINDOW, {}, 'pooled');
  runKpiEnsembleTraining({ dataDir: join(tmp.dir, 'csv'), out: join(tmp.dir, 'models', 'kpi-ens'), epochs: 2, hidden: 6, window: WINDOW, context: 4, backend: 'wasm', data, members: ensembleMembers(2, ['ple', 'mmoe'], 1) });
  for (const engine of ['onnxruntime', 'tfjs'] as const) apps[engine] = await makeApp(join(tmp.dir, 'models'), {}, true, await defaultLoaders(captureLogger().logger, { engine }));
}, 120_000);
afterAll(() => tmp.cleanup());

type Prediction = { rsrp: number; rsrq: number; sinr: number; interferenceProbability: number };

test('GET /v1/models lists it as one KPI model of architecture "ensemble" on each engine', async () => {
  for (const engine of ['onnxruntime', 'tfjs'] as const) {
    const models = (await request(apps[engine].app).get('/v1/models')).body;
    expect(models.refused).toEqual([]);
    expect(models.models.map((m: { name: string; architecture: string; engine: string }) => [m.name, m.architecture, m.engine])).toEqual([['kpi-ens', 'ensemble', engine]]);
  }
});

test('/v1/kpi/predict: the members\' mean, within 1e-5 on both engines', async () => {
  const windows = Array.from({ length: 10 }, windowOf);
  const [a, b] = await Promise.all(['onnxruntime', 'tfjs'].map((e) => request(apps[e as InferenceEngine].app).post('/v1/kpi/predict').send({ model: 'kpi-ens', windows })));
  expect([a.status, b.status]).toEqual([200, 200]);
  // The members run one by one on the pooled scaler, as the default path scales raw windows.
  const { model, manifest } = loadKpiModel(join(tmp.dir, 'models', 'kpi-ens'));
  const scaler = pooledScaler(manifest.scalers);
  const x = Float32Array.from(windows.flat().flatMap((row) => row.map((v, j) => scaleValue(scaler, j, v))));
  const outs = (model as KpiEnsemble).members.map((m) => predictKpi(m, inferenceWindows(x, WINDOW)));
  for (const body of [a.body, b.body]) {
    expect(body.predictions).toHaveLength(10);
    (body.predictions as Prediction[]).forEach((p, i) => {
      expect(Math.abs(p.interferenceProbability - (outs[0].prob[i] + outs[1].prob[i]) / 2)).toBeLessThan(1e-5);
      const sinr = unscaleValue(scaler, 2, (outs[0].reg[i * 3 + 2] + outs[1].reg[i * 3 + 2]) / 2);
      expect(Math.abs(p.sinr - sinr)).toBeLessThan(1e-4);
    });
  }
  disposeKpiModel(model);
});

test('/v2 infer answers with it on both engines alike', async () => {
  const windows = Array.from({ length: 4 }, windowOf);
  const body = { inputs: [{ name: 'windows', shape: [4, WINDOW, 3], datatype: 'FP32', data: windows.flat(2) }] };
  const [a, b] = await Promise.all(['onnxruntime', 'tfjs'].map((e) => request(apps[e as InferenceEngine].app).post('/v2/models/kpi-ens/infer').send(body)));
  expect([a.status, b.status]).toEqual([200, 200]);
  type Outputs = Array<{ name: string; data: unknown[] }>;
  const numeric = (r: { body: { outputs: Outputs } }) => r.body.outputs.filter((o) => typeof o.data[0] === 'number').flatMap((o) => o.data as number[]);
  expect(numeric(a)).toHaveLength(4 * 4);
  expect(Math.max(...numeric(a).map((v, i) => Math.abs(v - numeric(b)[i])))).toBeLessThanOrEqual(1e-5);
});
