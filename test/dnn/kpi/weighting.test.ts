import { initEngine, tf } from '../../../src/dnn/engine.js';
import { createWeighting } from '../../../src/dnn/kpi/weighting.js';

beforeAll(async () => {
  await initEngine();
});

const losses = () => tf.tensor1d([0.3, 0.6, 0.9, 2]);
const value = (s: tf.Scalar) => {
  const v = s.dataSync()[0];
  s.dispose();
  return v;
};

describe('loss weighting', () => {
  it('equal: the mean of the three MSEs plus the cross-entropy', () => {
    const w = createWeighting('equal');
    expect(value(w.combine(losses()))).toBeCloseTo(0.6 + 2, 6);
    expect(w.variables).toEqual({});
  });

  it('uncertainty: sum L_k / (2 exp(s_k)) + s_k / 2, with trainable log-variances starting at 0', () => {
    const w = createWeighting('uncertainty');
    expect(value(w.combine(losses()))).toBeCloseTo((0.3 + 0.6 + 0.9 + 2) / 2, 6);
    const s = w.variables['weighting.logvars'];
    s.assign(tf.tensor1d([Math.log(2), 0, 0, 0]));
    expect(value(w.combine(losses()))).toBeCloseTo(0.3 / 4 + Math.log(2) / 2 + (0.6 + 0.9 + 2) / 2, 6);
    w.dispose();
  });

  it('gradnorm: re-weights every 10 steps, keeping the weights summing to 4, and continues from a saved state', () => {
    const shared = [tf.variable(tf.tensor1d([1, 2]))];
    // Task k's loss is (k + 1) x the shared sum: task 3 has the largest gradient.
    const taskLosses = () => tf.mul(tf.sum(shared[0]), tf.tensor1d([1, 2, 3, 4])) as tf.Tensor1D;
    const w = createWeighting('gradnorm');
    w.beforeStep(1, taskLosses, shared);
    expect(w.logWeights()).toEqual([1, 1, 1, 1]);
    w.beforeStep(0, taskLosses, shared);
    const weights = w.logWeights();
    expect(weights.reduce((a, b) => a + b, 0)).toBeCloseTo(4, 10);
    expect(weights[3]).toBeLessThan(1);
    expect(weights[0]).toBeGreaterThan(1);
    expect(createWeighting('gradnorm', w.state()).logWeights()).toEqual(weights);
    shared[0].dispose();
  });
});
