/** @jest-environment ./test/onnx/ort-environment.js */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import seedrandom from 'seedrandom';
import { loadKpiDataset } from '../../src/datasets/kpi/fcciq.js';
import type { WindowSet } from '../../src/datasets/kpi/windows.js';
import { initEngine, tf } from '../../src/dnn/engine.js';
import { TASKS, type KpiModel } from '../../src/dnn/kpi/base.js';
import { makeBatch } from '../../src/dnn/kpi/data.js';
import { KPI_ARCHS, createKpiModel } from '../../src/dnn/kpi/registry.js';
import { loadKpiModel } from '../../src/dnn/kpi/model.js';
import { kpiModelToOnnx } from '../../src/onnx/export-kpi.js';
import { KPI_TASKS } from '../../src/onnx/kpi-weights.js';
import { runOnnx } from './run-ort.js';

const REAL = resolve(process.cwd(), '..', 'shared', 'data', 'fcciq');
const F = 3;

beforeAll(async () => {
  await initEngine();
});

/** A fresh model with every weight random (a fresh model's heads and AR start at zero, which would hide them). */
function freshModel(arch: string, config: { hidden: number; window: number; context: number; residual?: boolean }, seed: number): KpiModel {
  const model = createKpiModel(arch, { ...config, seed });
  const rng = seedrandom(`onnx-kpi-${arch}-${seed}`);
  for (const v of Object.values(model.params.vars)) v.assign(tf.tensor(Float32Array.from({ length: v.size }, () => (rng() - 0.5) * 0.8), v.shape));
  return model;
}

/**
 * Windows in the scaled domain: random walks inside [0, 1], deep fades (RSRP and SINR at the
 * bottom of the range), the range's ends, and values past them (a file scaled by another's range).
 */
function windows(count: number, T: number, seed: number): WindowSet {
  const rng = seedrandom(`onnx-kpi-windows-${seed}`);
  const x = new Float32Array(count * T * F);
  for (let b = 0; b < count; b++) {
    const kind = b % 5;
    let level = rng();
    for (let t = 0; t < T; t++) {
      level = Math.min(1, Math.max(0, level + (rng() - 0.5) * 0.1));
      for (let f = 0; f < F; f++) {
        const i = (b * T + t) * F + f;
        if (kind === 0) x[i] = level + (rng() - 0.5) * 0.05;
        else if (kind === 1) x[i] = t > T / 2 ? 0.02 * rng() : level; // a deep fade in the recent steps
        else if (kind === 2) x[i] = (t + f) % 2; // jumping between the range's ends
        else if (kind === 3) x[i] = -0.3 + 1.6 * rng(); // past both ends
        else x[i] = rng();
      }
    }
  }
  const last = new Float32Array(count * F);
  for (let b = 0; b < count; b++) last.set(x.subarray((b * T + T - 1) * F, (b * T + T) * F), b * F);
  return { count, window: T, features: F, x, y: new Float32Array(count * F), last, label: new Int32Array(count), range: new Float32Array(count * F).fill(1), source: new Int32Array(count) };
}

/** Largest absolute differences of ORT's outputs from the tfjs model's on the windows of `ws`. */
async function worstDifference(model: KpiModel, ws: WindowSet): Promise<{ next: number; logits: number }> {
  const idx = Array.from({ length: ws.count }, (_, i) => i);
  const batch = makeBatch(ws, idx, model.config.context);
  const out = model.forward(batch, { training: false, rng: Math.random });
  const reg = out.reg.dataSync();
  const logits = out.logits.dataSync();
  tf.dispose([batch.x, batch.last, batch.recent, out.reg, out.logits]);
  const ort = await runOnnx(kpiModelToOnnx(model), { window: { data: ws.x, dims: [ws.count, ws.window, F] } });
  expect(ort.next.dims).toEqual([ws.count, F]);
  expect(ort.interference_logits.dims).toEqual([ws.count, 2]);
  const worst = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
  return { next: worst(ort.next.data, reg), logits: worst(ort.interference_logits.data, logits) };
}

async function expectSameOutputs(model: KpiModel, ws: WindowSet): Promise<void> {
  const d = await worstDifference(model, ws);
  expect(d.next).toBeLessThan(1e-5);
  expect(d.logits).toBeLessThan(1e-5);
}

describe('kpiModelToOnnx', () => {
  it('has the task order of the models', () => {
    expect([...KPI_TASKS]).toEqual([...TASKS]);
  });

  it.each(KPI_ARCHS.map((a) => [a]))('%s: ONNX Runtime matches the tfjs model (H = 8, window 12, context 7)', async (arch) => {
    const model = freshModel(arch, { hidden: 8, window: 12, context: 7 }, 5);
    await expectSameOutputs(model, windows(40, 12, 1));
  });

  it.each([
    ['attention', { hidden: 6, window: 3, context: 3 }],
    ['ple', { hidden: 6, window: 9, context: 9, residual: false }],
    ['cross-stitch', { hidden: 6, window: 4, context: 1 }],
  ] as const)('%s with %j (short window, no residual, one step)', async (arch, config) => {
    const model = freshModel(arch, config, 2);
    await expectSameOutputs(model, windows(25, config.window, 2));
  });

  it('the comparison is sensitive: windows 0.01 apart give outputs more than 1e-3 apart', async () => {
    const model = freshModel('hard-sharing', { hidden: 8, window: 12, context: 7 }, 5);
    const ws = windows(10, 12, 3);
    const shifted = { ...ws, x: ws.x.map((v) => v + 0.01) };
    const idx = Array.from({ length: ws.count }, (_, i) => i);
    const batch = makeBatch(shifted, idx, 7);
    const out = model.forward(batch, { training: false, rng: Math.random });
    const ort = await runOnnx(kpiModelToOnnx(model), { window: { data: ws.x, dims: [ws.count, 12, F] } });
    const diff = Array.from(ort.next.data).reduce((m, v, i) => Math.max(m, Math.abs(v - out.reg.dataSync()[i])), 0);
    expect(diff).toBeGreaterThan(1e-3);
  });

  it('the shipped models/kpi-ple matches on scaled-domain windows', async () => {
    const { model } = loadKpiModel('models/kpi-ple');
    await expectSameOutputs(model, windows(60, model.config.window, 4));
  });

  (existsSync(REAL) ? it : it.skip)('the shipped models/kpi-ple matches on real FccIQ test windows', async () => {
    const { model, manifest } = loadKpiModel('models/kpi-ple');
    const data = loadKpiDataset(REAL, manifest.window, manifest.scalers, manifest.inputs);
    const ws = data.test;
    const count = Math.min(ws.count, 200);
    await expectSameOutputs(model, { ...ws, count, x: ws.x.subarray(0, count * ws.window * F), last: ws.last.subarray(0, count * F) });
  });

  it('refuses an unknown architecture and a missing weight', () => {
    const model = freshModel('mmoe', { hidden: 4, window: 5, context: 5 }, 1);
    expect(() => kpiModelToOnnx({ ...model, config: { ...model.config, arch: 'lstm-xl' } })).toThrow("unknown KPI architecture 'lstm-xl' (known: stl, hard-sharing, mmoe, cross-stitch, ple, attention)");
    const { 'gate.sinr.2.w': _dropped, ...vars } = model.params.vars;
    expect(() => kpiModelToOnnx({ config: model.config, params: { vars } })).toThrow("the model has no weight 'gate.sinr.2.w'");
  });
});
