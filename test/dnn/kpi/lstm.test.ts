import seedrandom from 'seedrandom';
import { initEngine, tf } from '../../../src/dnn/engine.js';
import { lstmStates } from '../../../src/dnn/kpi/lstm.js';

/** The LSTM as first written (autodiff through the step loop): the reference. */
function referenceStates(x: tf.Tensor2D, wx: tf.Tensor2D, wh: tf.Tensor2D, b: tf.Tensor1D, steps: number): tf.Tensor2D {
  const batch = x.shape[0] / steps;
  const H = wh.shape[0];
  const perStep = tf.unstack(tf.reshape(tf.add(tf.matMul(x, wx), b), [steps, batch, 4 * H])) as tf.Tensor2D[];
  let h: tf.Tensor2D = tf.zeros([batch, H]);
  let c: tf.Tensor2D = tf.zeros([batch, H]);
  const states: tf.Tensor2D[] = [];
  for (let t = 0; t < steps; t++) {
    const z = t === 0 ? perStep[0] : tf.add(perStep[t], tf.matMul(h, wh));
    const [zi, zf, zg, zo] = tf.split(z, 4, 1) as tf.Tensor2D[];
    const i = tf.sigmoid(zi);
    const g = tf.tanh(zg);
    c = t === 0 ? tf.mul(i, g) : tf.add(tf.mul(tf.sigmoid(zf), c), tf.mul(i, g));
    h = tf.mul(tf.sigmoid(zo), tf.tanh(c));
    states.push(h);
  }
  return tf.concat(states, 0) as tf.Tensor2D;
}

function uniform(rng: () => number, shape: number[], scale: number): tf.Tensor {
  const n = shape.reduce((a, s) => a * s, 1);
  return tf.tensor(Float32Array.from({ length: n }, () => (2 * rng() - 1) * scale), shape);
}

function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  const x = Array.from(a.dataSync());
  const y = Array.from(b.dataSync());
  expect(x.length).toBe(y.length);
  return x.reduce((m, v, k) => Math.max(m, Math.abs(v - y[k])), 0);
}

beforeAll(async () => {
  await initEngine();
});

describe('LSTM with a hand-written backward pass', () => {
  it.each([
    [2, 1, 1, 1],
    [5, 3, 3, 4],
    [7, 2, 4, 6],
  ])('T=%i B=%i F=%i H=%i: states and all four gradients equal autodiff of the step loop', (T, B, F, H) => {
    const rng = seedrandom(`lstm-${T}-${B}-${F}-${H}`);
    tf.tidy(() => {
      const x = uniform(rng, [T * B, F], 1) as tf.Tensor2D;
      const wx = uniform(rng, [F, 4 * H], 0.8) as tf.Tensor2D;
      const wh = uniform(rng, [H, 4 * H], 0.8) as tf.Tensor2D;
      const b = uniform(rng, [4 * H], 0.5) as tf.Tensor1D;
      // A loss that weights every step's every unit differently, so each dStates entry matters.
      const weights = uniform(rng, [T * B, H], 1);
      const loss = (f: typeof lstmStates) => (xx: tf.Tensor, a: tf.Tensor, w: tf.Tensor, bb: tf.Tensor) =>
        tf.sum(tf.mul(f(xx as tf.Tensor2D, a as tf.Tensor2D, w as tf.Tensor2D, bb as tf.Tensor1D, T), weights));
      expect(maxAbsDiff(lstmStates(x, wx, wh, b, T), referenceStates(x, wx, wh, b, T))).toBeLessThan(1e-6);
      const got = tf.grads(loss(lstmStates))([x, wx, wh, b]);
      const want = tf.grads(loss(referenceStates))([x, wx, wh, b]);
      got.forEach((g, k) => {
        expect(g.shape).toEqual(want[k].shape);
        expect(maxAbsDiff(g, want[k])).toBeLessThan(1e-5);
      });
    });
  });
});
