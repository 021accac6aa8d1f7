import { initEngine, tf } from '../../../src/dnn/engine.js';
import { L2Adam } from '../../../src/dnn/training/l2-adam.js';
import { makeBatch, range } from '../../../src/dnn/kpi/data.js';
import { createKpiModel, KPI_ARCHS } from '../../../src/dnn/kpi/registry.js';
import { buildWindows } from '../../../src/datasets/kpi/windows.js';

/** Per-parameter Adam as the trainer first had it: the reference. */
function referenceAdam(vars: Record<string, tf.Variable>, lr: number, wd: number, noDecay: Set<string>) {
  const m = Object.fromEntries(Object.entries(vars).map(([k, x]) => [k, tf.zerosLike(x)]));
  const v = Object.fromEntries(Object.entries(vars).map(([k, x]) => [k, tf.zerosLike(x)]));
  return (grads: Record<string, tf.Tensor>, step: number) => {
    const lrT = (lr * Math.sqrt(1 - 0.999 ** step)) / (1 - 0.9 ** step);
    for (const k of Object.keys(vars)) {
      let g = grads[k];
      if (wd > 0 && !noDecay.has(k)) g = tf.add(g, tf.mul(vars[k], wd));
      m[k] = tf.add(tf.mul(m[k], 0.9), tf.mul(g, 1 - 0.9));
      v[k] = tf.add(tf.mul(v[k], 0.999), tf.mul(tf.square(g), 1 - 0.999));
      vars[k].assign(tf.sub(vars[k], tf.mul(tf.div(m[k], tf.add(tf.sqrt(v[k]), 1e-8)), lrT)));
    }
    return { m, v };
  };
}

beforeAll(async () => {
  await initEngine();
});

describe('L2Adam', () => {
  it('updates weights and moments exactly as per-parameter Adam, and its moments restore', () => {
    const init = { a: tf.tensor2d([[0.5, -1], [2, 0.25], [-0.75, 1.5]]), b: tf.tensor1d([0.1, -0.2]), s: tf.tensor1d([1, 2, 3, 4]) };
    const mk = () => Object.fromEntries(Object.entries(init).map(([k, t]) => [k, tf.variable(t.clone())])) as Record<string, tf.Variable>;
    const flatVars = mk();
    const refVars = mk();
    const noDecay = new Set(['s']);
    const adam = new L2Adam(flatVars, 0.01, 0.1, noDecay);
    const ref = referenceAdam(refVars, 0.01, 0.1, noDecay);
    let moments: { m: Record<string, tf.Tensor>; v: Record<string, tf.Tensor> } | undefined;
    for (let step = 1; step <= 3; step++) {
      const grads = Object.fromEntries(Object.entries(init).map(([k, t]) => [k, tf.mul(tf.sin(tf.mul(t, step)), 3)]));
      adam.apply(grads);
      moments = ref(grads, step);
    }
    for (const k of Object.keys(init)) expect(Array.from(flatVars[k].dataSync())).toEqual(Array.from(refVars[k].dataSync()));
    expect(adam.step).toBe(3);
    const saved = adam.tensors();
    for (const k of Object.keys(init)) {
      expect(saved[`adam.m/${k}`].shape).toEqual(init[k as keyof typeof init].shape);
      expect(Array.from(saved[`adam.m/${k}`].dataSync())).toEqual(Array.from(moments!.m[k].dataSync()));
      expect(Array.from(saved[`adam.v/${k}`].dataSync())).toEqual(Array.from(moments!.v[k].dataSync()));
    }
    const other = new L2Adam(mk(), 0.01, 0.1, noDecay);
    const arrays = (r: Record<string, tf.Tensor>) => Object.fromEntries(Object.entries(r).map(([k, t]) => [k, t.dataSync() as Float32Array]));
    other.restore(arrays(saved), 3);
    expect(other.step).toBe(3);
    expect(other.tensors()['adam.v/a'].dataSync()).toEqual(saved['adam.v/a'].dataSync());
    const withoutFirstMoments = Object.fromEntries(Object.entries(arrays(saved)).filter(([k]) => !k.startsWith('adam.m/')));
    expect(() => other.restore(withoutFirstMoments, 3)).toThrow(/lacks Adam first moment of 'a'/);
  });
});

describe('every parameter is trained', () => {
  // L2Adam gives a parameter without a gradient a zero one (weight decay still applies),
  // where a per-parameter update would skip it: no architecture may have such a parameter.
  it.each(KPI_ARCHS)('%s: every parameter gets a gradient from the training loss', (arch) => {
    const T = 6;
    const ws = buildWindows([{ values: Float32Array.from({ length: 48 }, (_, i) => 0.5 + 0.4 * Math.sin(i * 0.37)), labels: Int32Array.from({ length: 16 }, (_, i) => i % 2), range: [1, 1, 1], source: 0 }], T);
    const m = createKpiModel(arch, { hidden: 8, window: T, seed: 2 });
    const vars = Object.values(m.params.vars);
    tf.tidy(() => {
      const b = makeBatch(ws, range(0, 8), T);
      const { grads } = tf.variableGrads(() => {
        const out = m.forward(b, { training: true, rng: () => 0.5 });
        return tf.add(tf.sum(out.reg), tf.sum(out.logits)) as tf.Scalar;
      }, vars);
      expect(Object.keys(grads).sort()).toEqual(vars.map((v) => v.name).sort());
    });
    tf.dispose(vars);
  });
});
