import { initEngine, tf } from '../../../src/dnn/engine.js';
import { predictPowers } from '../../../src/dnn/allocation/index.js';
import { data, inputs, net, params, selector, TASKS } from './fixture.js';

beforeAll(async () => {
  await initEngine();
});

describe('allocation network', () => {
  test('input and output slicing per N', () => {
    for (const scheme of ['routed', 'naive', 'zero-padding', 'single-task'] as const) {
      const m = net(scheme);
      expect(m.outDim).toBe(5);
      expect(m.inDim).toBe(scheme === 'naive' || scheme === 'zero-padding' ? 6 : 5);
      const x = m.buildInput([0], [data.test[0].gains], 2);
      // Task N = 3: inputs 0..2 are features, the padding after them zero (naive: index feature at position 3, then padding).
      const padding = scheme === 'naive' ? x.slice(4, 6) : x.slice(3, 5);
      expect(Array.from(padding)).toEqual([0, 0]);
      if (scheme === 'naive') expect(x[3]).toBeCloseTo(1 / TASKS.length, 6);
      if (scheme === 'zero-padding') expect(x[5]).toBeCloseTo(1 / TASKS.length, 6);
      if (scheme === 'routed') {
        // Routed: the padded inputs are zero (above), so W_1's rows for them never contribute;
        // the padded outputs are exactly zero, and a task's answer is its first N outputs.
        const rows = 4;
        const x3 = m.buildInput([0, 2], [data.test[0].gains, data.test[2].gains], rows);
        const outputs = tf.tidy(() => m.powers(m.logits(tf.tensor3d(x3, [2, rows, m.inDim]), [0, 2]), [0, 2]).arraySync());
        for (const row of outputs.flat()) expect(row.slice(3)).toEqual([0, 0]);
        // predictPowers returns those N per row, put back in the users' order (inputs are sorted).
        const p = predictPowers(m, [0, 2], [data.test[0].gains, data.test[2].gains], rows);
        const sorted = (xs: ArrayLike<number>) => Array.from(xs).sort((u, v) => u - v);
        p.forEach((task, j) => {
          expect(task).toHaveLength(rows * 3);
          outputs[j].forEach((row, r) => {
            const got = sorted(task.subarray(r * 3, r * 3 + 3));
            sorted(row.slice(0, 3)).forEach((v, i) => expect(got[i]).toBeCloseTo(v, 5));
          });
        });
      }
      m.dispose();
    }
  });

  test('fdma-delay outputs sum to Ptot; sum-capacity outputs inside the box', () => {
    for (const scheme of ['routed', 'naive', 'single-task'] as const) {
      const m = net(scheme);
      const powers = predictPowers(m, TASKS.map((_, k) => k), data.test.map((s) => s.gains));
      TASKS.forEach((t, k) => {
        const p = powers[k];
        for (let s = 0; s < p.length / t.n; s++) {
          const row = p.subarray(s * t.n, (s + 1) * t.n);
          if (t.problem === 'fdma-delay') {
            expect(Math.abs(row.reduce((a, b) => a + b, 0) - params.fdmaDelay.totalPowerW)).toBeLessThan(1e-12);
            expect(Math.min(...row)).toBeGreaterThanOrEqual(0);
          } else {
            expect(Math.min(...row)).toBeGreaterThanOrEqual(0);
            expect(Math.max(...row)).toBeLessThanOrEqual(params.sumCapacity.maxPowerW);
          }
        }
      });
      m.dispose();
    }
  });

  test('binarisation gives 0/1 masks at the 0.5 threshold and drops the router', () => {
    const m = net('routed');
    const soft = m.softMasks();
    const softVals = soft.map((s) => Array.from(s.dataSync()));
    m.binariseMasks();
    expect(m.router).toBeUndefined();
    m.masks!.forEach((mask, i) => {
      const v = mask.dataSync();
      v.forEach((b, j) => expect(b).toBe(softVals[i][j] > 0.5 ? 1 : 0));
    });
    // Initialised as the paper asks: soft masks near one, not saturated (tanh(5 * 0.2) ~ 0.76).
    const mean = softVals.flat().reduce((a, b) => a + b, 0) / softVals.flat().length;
    expect(mean).toBeGreaterThan(0.5);
    expect(mean).toBeLessThan(0.95);
    soft.forEach((s) => s.dispose());
    m.dispose();
  });

  test('masked weights get zero gradient for the masked task', () => {
    const m = net('routed');
    m.binariseMasks();
    // Mask out half of layer 2's weights for task 0 only.
    const l = m.maskedLayers[1];
    const mi = 1;
    const shape = m.masks![mi].shape;
    const vals = m.masks![mi].dataSync().slice();
    const per = shape[1] * shape[2];
    for (let i = 0; i < per; i++) vals[i] = i % 2;
    for (let i = per; i < vals.length; i++) vals[i] = 1;
    m.masks![mi].dispose();
    m.masks![mi] = tf.tensor3d(vals, shape);
    const x = inputs(m);
    const taskLoss = (k: number) => () => tf.sum(tf.mul(m.powers(m.logits(x)), selector(k))) as tf.Scalar;
    const g0 = tf.variableGrads(taskLoss(0), [m.W[l]]).grads[m.W[l].name].dataSync();
    for (let i = 0; i < per; i++) if (i % 2 === 0) expect(g0[i]).toBe(0);
    // The same weights do get a gradient from another task (they are not dead).
    const g1 = tf.variableGrads(taskLoss(1), [m.W[l]]).grads[m.W[l].name].dataSync();
    expect(Array.from(g1).some((v, i) => i % 2 === 0 && v !== 0)).toBe(true);
    m.dispose();
  });

  test('single-task: a task gradient touches only its own weights', () => {
    const m = net('single-task');
    const x = inputs(m);
    const g = tf.variableGrads(() => tf.sum(tf.mul(m.powers(m.logits(x)), selector(2))) as tf.Scalar, [m.W[3]]).grads[m.W[3].name];
    const per = g.shape[1]! * g.shape[2]!;
    const v = g.dataSync();
    for (let k = 0; k < TASKS.length; k++) {
      const any = Array.from(v.subarray(k * per, (k + 1) * per)).some((e) => e !== 0);
      expect(any).toBe(k === 2);
    }
    m.dispose();
  });

  test('a network leaves no tensor behind: built, re-initialised, binarised, disposed', () => {
    for (const scheme of ['routed', 'naive', 'zero-padding', 'single-task'] as const) {
      const before = tf.memory().numTensors;
      const m = net(scheme);
      m.reinitBase(2);
      if (scheme === 'routed') m.binariseMasks();
      m.dispose();
      expect({ scheme, leaked: tf.memory().numTensors - before }).toEqual({ scheme, leaked: 0 });
    }
  });

  test("setWeights accepts the network's own tensors (namedWeights): values kept, no tensor leaked", () => {
    const m = net('routed');
    m.binariseMasks();
    const before = Object.fromEntries(Object.entries(m.namedWeights()).map(([k, t]) => [k, Array.from(t.dataSync())]));
    const count = tf.memory().numTensors;
    m.setWeights(m.namedWeights());
    const after = Object.fromEntries(Object.entries(m.namedWeights()).map(([k, t]) => [k, Array.from(t.dataSync())]));
    expect(after).toEqual(before);
    expect(tf.memory().numTensors).toBe(count);
    m.dispose();
  });
});
