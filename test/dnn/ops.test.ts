import { initEngine, tf } from '../../src/dnn/engine.js';
import { dense, matMul, variableFrom } from '../../src/dnn/ops.js';

beforeAll(async () => {
  await initEngine();
});

const x = () => tf.tensor2d([1, 2, -1, 0.5, 3, -2], [2, 3]);
const w = () => tf.tensor2d([0.5, -1, 2, 1, -0.25, 0.75], [3, 2]);

describe('matMul', () => {
  it("gives tfjs's own product and gradients", () => {
    tf.tidy(() => {
      expect(Array.from(matMul(x(), w()).dataSync())).toEqual(Array.from(tf.matMul(x(), w()).dataSync()));
      const weights = tf.tensor2d([1, 2, 3, 4], [2, 2]);
      const loss = (f: typeof matMul) => (a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(f(a as tf.Tensor2D, b as tf.Tensor2D), weights));
      const ours = tf.grads(loss(matMul))([x(), w()]);
      const theirs = tf.grads(loss((a, b) => tf.matMul(a, b)))([x(), w()]);
      for (let i = 0; i < 2; i++) expect(Array.from(ours[i].dataSync())).toEqual(Array.from(theirs[i].dataSync()));
    });
  });
});

test('dense adds the bias to every row', () => {
  tf.tidy(() => {
    const out = dense(x(), w(), tf.tensor1d([10, 20]));
    const expected = tf.add(tf.matMul(x(), w()), tf.tensor2d([10, 20, 10, 20], [2, 2]));
    expect(Array.from(out.dataSync())).toEqual(Array.from(expected.dataSync()));
  });
});

test('variableFrom keeps the values in a trainable variable and frees the initial tensor', () => {
  const init = tf.tensor1d([1, 2, 3]);
  const before = tf.memory().numTensors;
  const v = variableFrom(init, 'ops-test/v');
  expect(init.isDisposed).toBe(true);
  expect(tf.memory().numTensors).toBe(before);
  expect([v.name, v.trainable, Array.from(v.dataSync())]).toEqual(['ops-test/v', true, [1, 2, 3]]);
  v.dispose();
});
