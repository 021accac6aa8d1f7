import { initEngine } from '../../../src/dnn/engine.js';
import { DEFAULT_TRAIN_OPTIONS, evaluateNetwork, flatMasks, maskJaccard, trainAllocation } from '../../../src/dnn/allocation/index.js';
import seedrandom from 'seedrandom';
import { tf } from '../../../src/dnn/engine.js';
import { AllocationLoss } from '../../../src/dnn/allocation/loss.js';
import { batchSampler } from '../../../src/dnn/allocation/batches.js';
import { data, net, small, TASKS } from './fixture.js';

beforeAll(async () => {
  await initEngine();
});

describe('training', () => {
  test('a tiny routed run reduces the loss (fixed seed) and keeps the dual variables >= 0', () => {
    const losses: number[] = [];
    const r = trainAllocation(data, {
      ...DEFAULT_TRAIN_OPTIONS,
      scheme: 'routed',
      seed: 3,
      t1: 60,
      t2: 60,
      learningRate: 3e-3,
      batchPerTask: 16,
      dualStep: 1e-2,
      evalEvery: 60,
      evalRows: 50,
      network: small,
      onEvent: (e) => {
        if (e.type === 'step') losses.push(e.loss);
      },
    });
    const first = losses.slice(60, 70).reduce((a, b) => a + b, 0) / 10;
    const last = losses.slice(-10).reduce((a, b) => a + b, 0) / 10;
    expect(last).toBeLessThan(first);
    expect(r.steps).toBe(120);
    expect(r.curve.length).toBe(3);
    expect(r.lambdas.every((l) => l >= 0)).toBe(true);
    expect(r.maskDensity!.every((d) => d >= 0 && d <= 1)).toBe(true);
    const jac = maskJaccard(flatMasks(r.net));
    jac.forEach((row, i) => expect(row[i]).toBe(1));
    r.net.dispose();
  });

  test.each(['uncertainty', 'gradnorm'] as const)('%s weighting: a routed run trains, and reports its final task weights', (weighting) => {
    const r = trainAllocation(data, { ...DEFAULT_TRAIN_OPTIONS, scheme: 'routed', weighting, seed: 2, t1: 30, t2: 30, evalEvery: 0, network: small });
    expect(Number.isFinite(r.finalLoss)).toBe(true);
    expect(r.taskWeights).toHaveLength(TASKS.length);
    // GradNorm's weights stay a convex combination (sum 1, as the equal 1/K); uncertainty's log-variances moved from 0.
    if (weighting === 'gradnorm') expect(r.taskWeights!.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    else expect(r.taskWeights!.some((s) => Math.abs(s) > 1e-3)).toBe(true);
    r.net.dispose();
  });

  test('with non-equal weighting the sum-capacity task losses are shifted positive (full-power capacity minus capacity)', () => {
    const n = net('routed');
    const loss = new AllocationLoss(n, data, { fdmaLoss: 'share', delayWeight: 0, logitPenalty: 0, positive: true });
    const plain = new AllocationLoss(n, data, { fdmaLoss: 'share', delayWeight: 0, logitPenalty: 0 });
    const sampler = batchSampler(n, data, 64, seedrandom('b'));
    const batch = sampler();
    const lambda = tf.zeros([TASKS.length]) as tf.Tensor1D;
    const shifted = loss.compute(batch, lambda).perTask.arraySync();
    const raw = plain.compute(batch, lambda).perTask.arraySync();
    TASKS.forEach((t, k) => {
      if (t.problem === 'fdma-delay') expect(shifted[k]).toBe(raw[k]);
      else {
        expect(raw[k]).toBeLessThan(0);
        expect(shifted[k]).toBeGreaterThan(0);
      }
    });
    loss.dispose();
    plain.dispose();
    n.dispose();
  });

  test('every scheme trains a few steps and evaluates', () => {
    for (const scheme of ['naive', 'zero-padding', 'single-task'] as const) {
      const r = trainAllocation(data, { ...DEFAULT_TRAIN_OPTIONS, scheme, t1: 5, t2: 5, evalEvery: 0, network: small });
      const m = evaluateNetwork(r.net, data.test, 50);
      expect(m).toHaveLength(TASKS.length);
      for (const x of m) {
        if (x.problem === 'fdma-delay') expect(x.medianRelGap).toBeGreaterThanOrEqual(-1e-6);
        else expect(x.maxBoxViolationW).toBeLessThanOrEqual(1e-6);
      }
      r.net.dispose();
    }
  });
});
