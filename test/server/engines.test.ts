/** @jest-environment ./test/onnx/ort-environment.js */
/**
 * The shipped models served on ONNX Runtime and on tfjs answer alike (within 1e-5) through
 * /v1/allocate, /v1/kpi/predict and /v2 infer; GET /v1/models and /metrics name the engine.
 */
import seedrandom from 'seedrandom';
import request from 'supertest';
import type { InferenceEngine } from '../../src/dnn/inference-engine.js';
import { defaultLoaders } from '../../src/server/loaders.js';
import { captureLogger, makeApp, type TestApp } from './helpers.js';
import { interferenceGains } from '../../src/channels/interference.js';
import { seededUniform } from '../../src/random.js';
import { INTERFERENCE_DEFAULTS } from '../../src/solvers/params.js';

const apps = {} as Record<InferenceEngine, TestApp>;
const random = seedrandom('engines');
/** Exp(1) gains, the distribution the allocation model was trained on, kept inside its trained range. */
const gains = (rows: number, n: number) => Array.from({ length: rows }, () => Array.from({ length: n }, () => 0.05 - Math.log(1 - 0.99 * random())));
const windowOf = (length: number) => Array.from({ length }, () => [-120 + 50 * random(), -20 + 17 * random(), -5 + 30 * random()]);

beforeAll(async () => {
  for (const engine of ['onnxruntime', 'tfjs'] as const) apps[engine] = await makeApp('models', {}, true, await defaultLoaders(captureLogger().logger, { engine }));
}, 120_000);

/** The same POST on both apps; both 200. */
async function both(path: string, body: object): Promise<[Record<string, unknown>, Record<string, unknown>]> {
  const [a, b] = await Promise.all([request(apps.onnxruntime.app).post(path).send(body), request(apps.tfjs.app).post(path).send(body)]);
  expect([a.status, b.status]).toEqual([200, 200]);
  return [a.body, b.body];
}

function maxAbsDiff(a: number[], b: number[]): number {
  expect(a).toHaveLength(b.length);
  return Math.max(...a.map((x, i) => Math.abs(x - b[i])));
}

describe('both engines serve the shipped models', () => {
  test('GET /v1/models and /metrics name each model\'s engine', async () => {
    for (const engine of ['onnxruntime', 'tfjs'] as const) {
      const models = await request(apps[engine].app).get('/v1/models');
      expect(models.body.refused).toEqual([]);
      expect(models.body.models.map((m: { name: string; engine: string }) => [m.name, m.engine])).toEqual([
        ['allocation-routed', engine],
        ['interference-routed', engine],
        ['kpi-ple', engine],
      ]);
      const metrics = (await request(apps[engine].app).get('/metrics')).text;
      expect(metrics).toContain(`radio_mtl_model_engine_info{model="allocation-routed",kind="allocation",engine="${engine}"} 1`);
      expect(metrics).toContain(`radio_mtl_model_engine_info{model="kpi-ple",kind="kpi",engine="${engine}"} 1`);
      expect(metrics).toContain(`radio_mtl_model_engine_info{model="interference-routed",kind="interference",engine="${engine}"} 1`);
    }
  });

  test('/v1/allocate with the dnn: the same powers within 1e-5 W for every task of the model', async () => {
    const { tasks } = (await request(apps.tfjs.app).get('/v1/models')).body.models[0] as { tasks: Array<{ problem: string; n: number }> };
    expect(tasks.length).toBeGreaterThan(1);
    for (const { problem, n } of tasks) {
      const [a, b] = await both('/v1/allocate', { problem, solver: 'dnn', gains: gains(16, n) });
      expect(a.solvedBy).toEqual(Array(16).fill('dnn'));
      expect(maxAbsDiff((a.power as number[][]).flat(), (b.power as number[][]).flat())).toBeLessThanOrEqual(1e-5);
    }
  });

  test('/v1/allocate, problem interference: the same powers within 1e-5 W at every trained K and an untrained one', async () => {
    for (const k of [5, 7, 8, 10, 12, 15, 18, 20]) {
      const g = interferenceGains(seededUniform(`engines-ic-${k}`), 16, k, INTERFERENCE_DEFAULTS);
      const matrices = Array.from({ length: 16 }, (_, s) => Array.from({ length: k }, (_, r) => Array.from(g.subarray((s * k + r) * k, (s * k + r + 1) * k))));
      const [a, b] = await both('/v1/allocate', { problem: 'interference', gains: matrices });
      expect(maxAbsDiff((a.power as number[][]).flat(), (b.power as number[][]).flat())).toBeLessThanOrEqual(1e-5);
    }
  });

  test('/v1/kpi/predict: the same probabilities and next-step KPIs within 1e-5', async () => {
    const windowLength = (await request(apps.tfjs.app).get('/v1/models')).body.models.find((m: { kind: string }) => m.kind === 'kpi').windowLength as number;
    const [a, b] = await both('/v1/kpi/predict', { windows: Array.from({ length: 12 }, () => windowOf(windowLength)) });
    type P = { rsrp: number; rsrq: number; sinr: number; interferenceProbability: number };
    const pa = a.predictions as P[];
    const pb = b.predictions as P[];
    for (const key of ['rsrp', 'rsrq', 'sinr', 'interferenceProbability'] as const) {
      expect(maxAbsDiff(pa.map((p) => p[key]), pb.map((p) => p[key]))).toBeLessThanOrEqual(1e-5);
    }
  });

  test('/v2 infer: the same outputs within 1e-5 for both model families', async () => {
    const rows = gains(8, 10);
    const [a, b] = await both('/v2/models/allocation-routed/infer', { parameters: { problem: 'sum-capacity' }, inputs: [{ name: 'gains', shape: [8, 10], datatype: 'FP64', data: rows.flat() }] });
    type Outputs = Array<{ name: string; data: unknown[] }>;
    const power = (body: Record<string, unknown>) => ((body.outputs as Outputs).find((o) => o.name === 'power')?.data ?? []) as number[];
    expect(power(a)).toHaveLength(80);
    expect(maxAbsDiff(power(a), power(b))).toBeLessThanOrEqual(1e-5);

    const windowLength = (await request(apps.tfjs.app).get('/v2/models/kpi-ple')).body.inputs[0].shape[1] as number;
    const windows = Array.from({ length: 6 }, () => windowOf(windowLength));
    const [ka, kb] = await both('/v2/models/kpi-ple/infer', { inputs: [{ name: 'windows', shape: [6, windowLength, 3], datatype: 'FP32', data: windows.flat(2) }] });
    const numeric = (body: Record<string, unknown>) => (body.outputs as Outputs).filter((o) => typeof o.data[0] === 'number').flatMap((o) => o.data as number[]);
    expect(numeric(ka)).toHaveLength(6 * 4);
    expect(maxAbsDiff(numeric(ka), numeric(kb))).toBeLessThanOrEqual(1e-5);
  });
});
