/** @jest-environment ./test/onnx/ort-environment.js */
/**
 * Engine choice: 'auto' takes ONNX Runtime when onnxruntime-node loads, falls back to tfjs
 * (saying why) when it cannot; an explicit 'onnxruntime' fails instead of falling back.
 */
import request from 'supertest';
import { initEngine } from '../../src/dnn/engine.js';
import { loadAllocationNetwork } from '../../src/dnn/allocation/model.js';
import { createAllocationPredictor } from '../../src/dnn/allocation/predict.js';
import type { AllocationNetwork } from '../../src/dnn/allocation/network.js';
import type { OrtModule } from '../../src/dnn/inference-engine.js';
import { createKpiPredictor } from '../../src/dnn/kpi/predict.js';
import { createKpiModel } from '../../src/dnn/kpi/registry.js';
import { defaultLoaders } from '../../src/server/loaders.js';
import { captureLogger, makeApp } from './helpers.js';

/** What `import('onnxruntime-node')` throws where the package or its native binary is missing. */
const missingRuntime = (): Promise<OrtModule> => Promise.reject(new Error("Cannot find module 'onnxruntime-node'"));
let net: AllocationNetwork;

beforeAll(async () => {
  await initEngine();
  net = loadAllocationNetwork('models/allocation-routed').net;
});
afterAll(() => net.dispose());

describe('engine choice', () => {
  test("'auto' (the default) takes onnxruntime when the package loads", async () => {
    const predictor = await createAllocationPredictor(net);
    expect(predictor.engine).toBe('onnxruntime');
    await predictor.dispose();
  });

  test("'auto' falls back to tfjs when onnxruntime-node cannot load, and says why", async () => {
    const reasons: string[] = [];
    const allocation = await createAllocationPredictor(net, { loadRuntime: missingRuntime, onFallback: (r) => reasons.push(r) });
    expect(allocation.engine).toBe('tfjs');
    const power = await allocation.allocate('fdma-delay', [[0.5, 1, 2, 0.8, 1.5]]);
    expect(power[0].reduce((a, b) => a + b, 0)).toBeCloseTo(net.config.params.fdmaDelay.totalPowerW, 12);
    const kpi = await createKpiPredictor(createKpiModel('hard-sharing', { hidden: 4, window: 6, seed: 1 }), { loadRuntime: missingRuntime, onFallback: (r) => reasons.push(r) });
    expect(kpi.engine).toBe('tfjs');
    expect(reasons).toEqual(Array(2).fill("onnxruntime unavailable (Cannot find module 'onnxruntime-node'): using tfjs"));
  });

  test("an explicit 'onnxruntime' that cannot load is an error, not a fallback", async () => {
    await expect(createAllocationPredictor(net, { engine: 'onnxruntime', loadRuntime: missingRuntime })).rejects.toThrow(
      "onnxruntime unavailable (Cannot find module 'onnxruntime-node')",
    );
  });

  test('the server falls back model by model, logs it, and GET /v1/models shows tfjs', async () => {
    const { logger, lines } = captureLogger();
    const t = await makeApp('models', {}, true, await defaultLoaders(logger, { loadRuntime: missingRuntime }));
    const models = await request(t.app).get('/v1/models');
    expect(models.body.refused).toEqual([]);
    expect(models.body.models.map((m: { engine: string }) => m.engine)).toEqual(['tfjs', 'tfjs', 'tfjs']);
    const warnings = lines.filter((l) => l.level === 40).map((l) => l.msg);
    expect(warnings).toEqual(expect.arrayContaining([expect.stringMatching(/^allocation-routed: onnxruntime unavailable .*: using tfjs$/), expect.stringMatching(/^kpi-ple: onnxruntime unavailable/)]));
    const res = await request(t.app).post('/v1/allocate').send({ problem: 'sum-capacity', solver: 'dnn', gains: [1, 0.5, 2, 0.7, 1.2] });
    expect(res.status).toBe(200);
    expect(res.body.solvedBy).toBe('dnn');
  });
});
