import { initEngine, tf } from '../../../src/dnn/engine.js';
import { byPosition, prefixed, restoreWeights, snapshotWeights, withPrefix } from '../../../src/dnn/training/weights.js';

beforeAll(async () => {
  // The cpu backend hands out its own storage from dataSync(), so a snapshot that did not copy would show.
  await initEngine('cpu');
});

describe('weights', () => {
  it('a snapshot is a copy that restores the values it had', () => {
    const vars = { a: tf.variable(tf.tensor1d([1, 2])), b: tf.variable(tf.tensor2d([3, 4, 5, 6], [2, 2])) };
    const snap = snapshotWeights(vars);
    snap.b[0] = 99;
    expect(Array.from(vars.b.dataSync())).toEqual([3, 4, 5, 6]);
    snap.b[0] = 3;
    vars.a.assign(tf.tensor1d([9, 9]));
    expect(Array.from(snap.a)).toEqual([1, 2]);
    restoreWeights(vars, snap);
    expect(Array.from(vars.a.dataSync())).toEqual([1, 2]);
    expect(vars.b.shape).toEqual([2, 2]);
    expect(() => restoreWeights(vars, { a: snap.a })).toThrow("checkpoint lacks weight 'b'");
    Object.values(vars).forEach((v) => v.dispose());
  });

  it('prefixed and withPrefix are inverse, and withPrefix keeps only its group', () => {
    const t = tf.scalar(1);
    expect(Object.keys(prefixed('net', { w: t, b: t }))).toEqual(['net/w', 'net/b']);
    const values = { 'net/w': Float32Array.of(1), 'net/sub/b': Float32Array.of(2), 'network/w': Float32Array.of(3), 'opt/m': Float32Array.of(4) };
    expect(withPrefix(values, 'net')).toEqual({ w: Float32Array.of(1), 'sub/b': Float32Array.of(2) });
    t.dispose();
  });

  it('byPosition keys variables by their place in the list', () => {
    const vs = [tf.variable(tf.scalar(1)), tf.variable(tf.scalar(2))];
    const rec = byPosition(vs);
    expect(Object.keys(rec)).toEqual(['0', '1']);
    expect(rec['1']).toBe(vs[1]);
    vs.forEach((v) => v.dispose());
  });
});
