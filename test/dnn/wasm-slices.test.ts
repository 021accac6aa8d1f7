import { initEngine, tf } from '../../src/dnn/engine.js';
import { registerWasmSlices } from '../../src/dnn/wasm-slices.js';

beforeAll(async () => {
  await initEngine();
});

describe('wasm Slice, SplitV and Unpack read their input in place', () => {
  it('give the values of the stock kernels (cpu backend) for slices of rank 1 to 5', async () => {
    registerWasmSlices(); // no-op off wasm; the engine registers them when it selects wasm
    const shape = [3, 4, 2, 5, 3];
    const values = Float32Array.from({ length: 360 }, (_, k) => k * 0.5 - 7);
    const cases = (t: (r: number) => tf.Tensor) => [
      tf.slice(t(1), [1], [2]),
      tf.slice(t(2), [1, 1], [2, 3]),
      tf.slice(t(3), [0, 1, 1], [2, 2, 1]),
      tf.slice(t(4), [1, 0, 1, 2], [2, 3, 1, 2]),
      tf.slice(t(5), [1, 1, 0, 2, 1], [2, 2, 2, 2, 2]),
      ...tf.split(t(2), [1, 2, 1], 1),
      ...tf.split(t(3), 2, 2),
      ...tf.unstack(t(3), 0),
      ...tf.unstack(t(3), 1),
      ...tf.unstack(t(4), 3),
    ];
    const make = (r: number) => tf.reshape(tf.tensor(values.subarray(0, shape.slice(0, r).reduce((a, s) => a * s, 1))), shape.slice(0, r));
    const backend = tf.getBackend();
    const got = cases(make).map((t) => ({ shape: t.shape, values: Array.from(t.dataSync()) }));
    await tf.setBackend('cpu');
    const want = cases(make).map((t) => ({ shape: t.shape, values: Array.from(t.dataSync()) }));
    await tf.setBackend(backend);
    expect(got).toEqual(want);
  });
});
