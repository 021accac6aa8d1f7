import { initEngine, tf } from '../../../src/dnn/engine.js';
import { makeBatch } from '../../../src/dnn/kpi/data.js';
import { createKpiModel } from '../../../src/dnn/kpi/registry.js';
import { buildWindows } from '../../../src/datasets/kpi/windows.js';

beforeAll(async () => {
  await initEngine();
});

describe('KPI model building blocks', () => {
  it('the hand-written LSTM matches a plain per-step reference', () => {
    const m = createKpiModel('hard-sharing', { hidden: 4, window: 3, seed: 2 });
    const v = m.params.vars;
    const wx = v['lstm.wx'].arraySync() as number[][];
    const wh = v['lstm.wh'].arraySync() as number[][];
    const bias = v['lstm.b'].arraySync() as number[];
    const ws = buildWindows([{ values: Float32Array.from([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1, 1.1, 1.2]), labels: Int32Array.from([0, 0, 0, 1]), range: [1, 1, 1], source: 0 }], 3);
    const b = makeBatch(ws, [0], 3);
    // Reference in plain JS.
    const sig = (x: number) => 1 / (1 + Math.exp(-x));
    let h = [0, 0, 0, 0];
    let c = [0, 0, 0, 0];
    for (let t = 0; t < 3; t++) {
      const x = Array.from(ws.x.subarray(t * 3, t * 3 + 3));
      const z = bias.map((bb, j) => bb + x.reduce((s, xi, i) => s + xi * wx[i][j], 0) + h.reduce((s, hi, i) => s + hi * wh[i][j], 0));
      const g = (q: number, k: number) => z[q * 4 + k];
      c = c.map((ck, k) => sig(g(1, k)) * ck + sig(g(0, k)) * Math.tanh(g(2, k)));
      h = c.map((ck, k) => sig(g(3, k)) * Math.tanh(ck));
    }
    // The tower of task rsrp is linear after ReLU: compare hidden states via runLstm directly.
    return import('../../../src/dnn/kpi/base.js').then(({ runLstm }) => {
      const out = runLstm({ wx: v['lstm.wx'] as tf.Variable<tf.Rank.R2>, wh: v['lstm.wh'] as tf.Variable<tf.Rank.R2>, b: v['lstm.b'] as tf.Variable<tf.Rank.R1>, hidden: 4 }, b.x, 3, 1).last.dataSync();
      Array.from(out).forEach((o, k) => expect(o).toBeCloseTo(h[k], 5));
    });
  });
});
