import { initEngine, tf } from '../../../src/dnn/engine.js';
import { createWeighting, gradnormUpdate, type WeightingSpec } from '../../../src/dnn/training/weighting.js';
import { KPI_WEIGHTING } from '../../../src/dnn/kpi/recipe.js';

beforeAll(async () => {
  await initEngine();
});

const losses = () => tf.tensor1d([0.3, 0.6, 0.9, 2]);
const value = (s: tf.Scalar) => {
  const v = s.dataSync()[0];
  s.dispose();
  return v;
};
/** The allocation trainer's shape of spec: equal is the mean, GradNorm's weights sum to 1. */
const MEAN_SPEC: WeightingSpec = { tasks: 4, equalWeights: [0.25, 0.25, 0.25, 0.25], equalObjective: (l) => tf.mean(l) as tf.Scalar, gradnormTotal: 1, gradnormInterval: 5 };

describe('loss weighting (KPI spec)', () => {
  it('equal: the mean of the three MSEs plus the cross-entropy', () => {
    const w = createWeighting('equal', KPI_WEIGHTING);
    expect(value(w.combine(losses()))).toBeCloseTo(0.6 + 2, 6);
    expect(w.variables).toEqual({});
  });

  it('uncertainty: sum L_k / (2 exp(s_k)) + s_k / 2, with trainable log-variances starting at 0', () => {
    const w = createWeighting('uncertainty', KPI_WEIGHTING);
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
    const w = createWeighting('gradnorm', KPI_WEIGHTING);
    w.beforeStep(1, taskLosses, shared);
    expect(w.logWeights()).toEqual([1, 1, 1, 1]);
    w.beforeStep(0, taskLosses, shared);
    const weights = w.logWeights();
    expect(weights.reduce((a, b) => a + b, 0)).toBeCloseTo(4, 10);
    expect(weights[3]).toBeLessThan(1);
    expect(weights[0]).toBeGreaterThan(1);
    expect(createWeighting('gradnorm', KPI_WEIGHTING, w.state()).logWeights()).toEqual(weights);
    shared[0].dispose();
  });
});

describe('loss weighting (a mean-objective spec, as the allocation trainer uses)', () => {
  it('equal runs the family objective itself, not a weighted sum', () => {
    const w = createWeighting('equal', MEAN_SPEC);
    expect(value(w.combine(losses()))).toBeCloseTo((0.3 + 0.6 + 0.9 + 2) / 4, 6);
  });

  it('gradnorm starts at total / K and keeps the sum at the total', () => {
    const shared = [tf.variable(tf.tensor1d([1, 2]))];
    const taskLosses = () => tf.mul(tf.sum(shared[0]), tf.tensor1d([1, 2, 3, 4])) as tf.Tensor1D;
    const w = createWeighting('gradnorm', MEAN_SPEC);
    expect(w.logWeights()).toEqual([0.25, 0.25, 0.25, 0.25]);
    expect(value(w.combine(losses()))).toBeCloseTo((0.3 + 0.6 + 0.9 + 2) / 4, 6);
    w.beforeStep(3, taskLosses, shared);
    expect(w.logWeights()).toEqual([0.25, 0.25, 0.25, 0.25]);
    w.beforeStep(5, taskLosses, shared);
    expect(w.logWeights().reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    shared[0].dispose();
  });
});

describe('gradnormUpdate by hand', () => {
  it('two tasks: the larger weighted gradient loses weight by the GradNorm step, then the sum is restored', () => {
    // g = [1, 3], w = [0.5, 0.5], losses at their initial values (r = 1): G = [0.5, 1.5], mean 1.
    // Task 0: G below target -> w0 (1 + 0.025 * 1 / 1) = 0.5125; task 1: w1 (1 - 0.025 * 3) = 0.4625.
    const s = gradnormUpdate({ method: 'gradnorm', weights: [0.5, 0.5] }, [1, 3], [2, 2], 1);
    expect(s.weights[0]).toBeCloseTo(0.5125 / 0.975, 12);
    expect(s.weights[1]).toBeCloseTo(0.4625 / 0.975, 12);
    expect(s.initialLosses).toEqual([2, 2]);
  });

  it('a task whose loss fell less (slower training) gets a higher target and more weight', () => {
    // Equal gradients; task 1's loss stayed at its start, task 0's halved: r = [2/3, 4/3].
    const s = gradnormUpdate({ method: 'gradnorm', weights: [1, 1], initialLosses: [1, 1] }, [1, 1], [0.5, 1], 2);
    expect(s.weights[1]).toBeGreaterThan(s.weights[0]);
    expect(s.weights[0] + s.weights[1]).toBeCloseTo(2, 12);
  });

  it('a task loss at or below zero counts as trained (no NaN weight), and all-zero losses leave the targets equal', () => {
    const s = gradnormUpdate({ method: 'gradnorm', weights: [0.5, 0.5], initialLosses: [1, 1] }, [1, 1], [-0.2, 1], 1);
    expect(s.weights.every(Number.isFinite)).toBe(true);
    expect(s.weights[0]).toBeLessThan(s.weights[1]);
    const z = gradnormUpdate({ method: 'gradnorm', weights: [0.5, 0.5], initialLosses: [1, 1] }, [1, 1], [0, -1], 1);
    expect(z.weights.every(Number.isFinite)).toBe(true);
  });

  it('never drives a weight below 1e-3 of the mean weight', () => {
    // Task 0's step would make its weight negative: it stops at the floor 1e-3 x 1 / 2 before renormalising.
    const w1 = 1 - 1e-3 / 2;
    const meanG = (1e6 * (1e-3 / 2) + w1) / 2;
    const grown = w1 * (1 + 0.025 / meanG);
    const s = gradnormUpdate({ method: 'gradnorm', weights: [1e-3 / 2, w1] }, [1e6, 1], [1, 1], 1);
    expect(s.weights[0]).toBeCloseTo(5e-4 / (5e-4 + grown), 12);
  });
});
