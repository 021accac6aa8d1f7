import { initEngine, tf } from '../../../src/dnn/engine.js';
import { countParams, disposeKpiModel, lstmMacs } from '../../../src/dnn/kpi/base.js';
import { makeBatch, range } from '../../../src/dnn/kpi/data.js';
import { createKpiModel, KPI_ARCHS } from '../../../src/dnn/kpi/registry.js';
import { buildWindows } from '../../../src/datasets/kpi/windows.js';

const T = 6;
function tinyWindows(n = 10) {
  const rows = n + T;
  return buildWindows([{ values: Float32Array.from({ length: rows * 3 }, (_, i) => 0.5 + 0.4 * Math.sin(i * 0.37)), labels: Int32Array.from({ length: rows }, (_, i) => i % 2), range: [1, 1, 1], source: 0 }], T);
}

beforeAll(async () => {
  await initEngine();
});

describe('KPI architectures', () => {
  it.each(KPI_ARCHS)('%s: output shapes; untrained residual model = persistence exactly', (arch) => {
    const ws = tinyWindows();
    const m = createKpiModel(arch, { hidden: 8, window: T, seed: 3 });
    const b = makeBatch(ws, range(0, 10), T);
    const out = m.forward(b, { training: false, rng: Math.random });
    expect(out.reg.shape).toEqual([10, 3]);
    expect(out.logits.shape).toEqual([10, 2]);
    expect(Array.from(out.reg.dataSync())).toEqual(Array.from(ws.last.subarray(0, 30)));
    expect(countParams(m)).toBeGreaterThan(0);
    expect(m.macs()).toBeGreaterThan(lstmMacs(3, 8, T) - 1);
    tf.dispose([out.reg, out.logits, b.x, b.last, b.recent]);
  });

  it.each(KPI_ARCHS)('%s: built and disposed, leaves no tensor behind', (arch) => {
    const before = tf.memory().numTensors;
    disposeKpiModel(createKpiModel(arch, { hidden: 4, window: T, seed: 1 }));
    expect(tf.memory().numTensors).toBe(before);
  });

  it('non-residual models predict values directly (the paper)', () => {
    const ws = tinyWindows();
    const m = createKpiModel('hard-sharing', { hidden: 8, window: T, residual: false });
    const b = makeBatch(ws, range(0, 10), T);
    const reg = m.forward(b, { training: false, rng: Math.random }).reg.dataSync();
    expect(Array.from(reg)).not.toEqual(Array.from(ws.last.subarray(0, 30)));
  });

  it('MMoE at H = 64 has the authors\' MAC count (thop) and their parameter count minus one LSTM bias', () => {
    const m = createKpiModel('mmoe', { hidden: 64, window: 35, residual: false });
    expect(m.macs()).toBe(669600); // the authors' code counted by thop: 0.670 M at H = 64
    expect(countParams(m)).toBe(51637 - 4 * 64); // PyTorch keeps two LSTM bias vectors
  });

  it('the same seed gives the same weights; another seed different ones', () => {
    const a = createKpiModel('ple', { hidden: 8, window: T, seed: 5 });
    const b = createKpiModel('ple', { hidden: 8, window: T, seed: 5 });
    const c = createKpiModel('ple', { hidden: 8, window: T, seed: 6 });
    const w = (m: typeof a) => Array.from(m.params.vars['lstm.wh'].dataSync());
    expect(w(a)).toEqual(w(b));
    expect(w(a)).not.toEqual(w(c));
  });

  it.each(KPI_ARCHS)('%s with context C reads only the last C steps: same outputs as window C', (arch) => {
    const values = Float32Array.from({ length: 20 * 3 }, (_, i) => 0.5 + 0.4 * Math.sin(i * 0.37));
    const seg = { values, labels: Int32Array.from({ length: 20 }, (_, i) => i % 2), range: [1, 1, 1], source: 0 };
    const long = buildWindows([seg], 6);
    const short = buildWindows([seg], 3);
    const wide = createKpiModel(arch, { hidden: 8, window: 6, context: 3, seed: 4, residual: false });
    const narrow = createKpiModel(arch, { hidden: 8, window: 3, seed: 4, residual: false });
    expect(wide.macs()).toBe(narrow.macs());
    // Window k of length 6 ends where window k + 3 of length 3 ends.
    const bw = makeBatch(long, [0, 1, 2], 3);
    const bn = makeBatch(short, [3, 4, 5], 3);
    const ctx = { training: false, rng: Math.random };
    const ow = wide.forward(bw, ctx);
    const on = narrow.forward(bn, ctx);
    expect(Array.from(ow.logits.dataSync())).toEqual(Array.from(on.logits.dataSync()));
    expect(Array.from(ow.reg.dataSync())).toEqual(Array.from(on.reg.dataSync()));
    tf.dispose([ow.reg, ow.logits, on.reg, on.logits, bw.x, bw.last, bw.recent, bn.x, bn.last, bn.recent]);
  });

  it('a config without a context (models saved before --context) reads the whole window', () => {
    const m = createKpiModel('mmoe', { hidden: 64, window: 35, residual: false });
    expect(m.config.context).toBe(35);
    expect(m.macs()).toBe(669600);
  });

  it('refuses a context longer than the window, or below 1', () => {
    expect(() => createKpiModel('ple', { window: 10, context: 11 })).toThrow(/--context must be an integer from 1 to the window length 10, got 11/);
    expect(() => createKpiModel('ple', { window: 10, context: 0 })).toThrow(/--context/);
    expect(() => makeBatch(tinyWindows(), [0], T + 1)).toThrow(/context must be an integer from 1 to the window length/);
  });

  it('rejects an unknown architecture by name', () => {
    expect(() => createKpiModel('transformer')).toThrow(/--arch must be one of stl, hard-sharing/);
  });
});
