import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initEngine, tf } from '../../src/dnn/engine.js';
import { ModelFileError, modelFilePath } from '../../src/dnn/model-io.js';
import {
  AllocationNetwork,
  buildManifest,
  defaultNetworkConfig,
  DEFAULT_ALLOCATION_PARAMS,
  DEFAULT_TRAIN_OPTIONS,
  evaluateNetwork,
  flatMasks,
  generateAllocationData,
  loadAllocationModel,
  maskJaccard,
  predictPowers,
  saveAllocationModel,
  trainAllocation,
  type AllocationTask,
  type Scheme,
} from '../../src/dnn/allocation/index.js';

const TASKS: AllocationTask[] = [
  { problem: 'fdma-delay', n: 3 },
  { problem: 'fdma-delay', n: 5 },
  { problem: 'sum-capacity', n: 3 },
  { problem: 'sum-capacity', n: 5 },
];
const params = DEFAULT_ALLOCATION_PARAMS;
const data = generateAllocationData(TASKS, { train: 400, test: 200 }, 7);
const small = { hiddenWidths: [5, 8, 8, 5], routerHidden: 20 };

function net(scheme: Scheme, seed = 1): AllocationNetwork {
  return new AllocationNetwork({ ...defaultNetworkConfig(scheme, TASKS, params), ...small }, seed);
}

/** Random inputs [K, B, in] built from the test gains. */
function inputs(n: AllocationNetwork, rows = 16): tf.Tensor3D {
  const idx = TASKS.map((_, k) => k);
  return tf.tensor3d(n.buildInput(idx, data.test.map((s) => s.gains), rows), [TASKS.length, rows, n.inDim]);
}

/** [K, 1, 1] one-hot weights selecting task k (tf.gather has no gradient kernel on wasm). */
function selector(k: number): tf.Tensor3D {
  return tf.tensor3d(TASKS.map((_, i) => (i === k ? 1 : 0)), [TASKS.length, 1, 1]);
}

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
      // Task N = 3: inputs 0..2 are features, 3..4 zero (naive: index feature at position 3).
      expect(Array.from(x.slice(3, 5)).every((v) => v === 0) || scheme === 'naive').toBe(true);
      if (scheme === 'naive') expect(x[3]).toBeCloseTo(1 / TASKS.length, 6);
      if (scheme === 'zero-padding') expect(x[5]).toBeCloseTo(1 / TASKS.length, 6);
      if (scheme === 'routed') {
        // Routed: changing padded inputs cannot matter, and padded outputs are zero.
        const p = predictPowers(m, [0, 2], [data.test[0].gains, data.test[2].gains], 4);
        expect(p[0].length).toBe(4 * 3);
        expect(p[1].length).toBe(4 * 3);
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

describe('model save/load', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'alloc-model-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('save -> load gives identical outputs, and allocate() slices per N', async () => {
    const opts = { ...DEFAULT_TRAIN_OPTIONS, scheme: 'routed' as const, t1: 5, t2: 5, evalEvery: 0, network: small };
    const r = trainAllocation(data, opts);
    const before = predictPowers(r.net, [1, 3], [data.test[1].gains, data.test[3].gains], 20);
    saveAllocationModel(dir, r.net, buildManifest(r, opts, { source: data.source }, 'test'));
    const model = await loadAllocationModel(dir);
    expect(model.manifest.scheme).toBe('routed');
    const f = model.allocateRows('fdma-delay', 5, data.test[1].gains.subarray(0, 20 * 5));
    const s = model.allocateRows('sum-capacity', 5, data.test[3].gains.subarray(0, 20 * 5));
    expect(Array.from(f)).toEqual(Array.from(before[0]));
    expect(Array.from(s)).toEqual(Array.from(before[1]));
    const rows = [Array.from(data.test[0].gains.subarray(0, 3)), Array.from(data.test[1].gains.subarray(0, 5))];
    const out = model.allocate('fdma-delay', rows);
    expect(out.power.map((p) => p.length)).toEqual([3, 5]);
    expect(() => model.allocate('fdma-delay', [[1, 2, 3, 4]])).toThrow(/N in \{3, 5\}/);
    expect(() => model.allocate('sum-capacity', [[1, -2, 3]])).toThrow(/finite number > 0/);
    model.dispose();
    r.net.dispose();
  });

  test('a corrupted weights file is refused', async () => {
    const opts = { ...DEFAULT_TRAIN_OPTIONS, scheme: 'naive' as const, t1: 1, t2: 1, evalEvery: 0, network: small };
    const r = trainAllocation(data, opts);
    saveAllocationModel(dir, r.net, buildManifest(r, opts, { source: data.source }, 'test'));
    r.net.dispose();
    const p = modelFilePath(dir, 'weights.bin');
    const bytes = readFileSync(p);
    bytes[bytes.length - 1] ^= 1;
    writeFileSync(p, bytes);
    await expect(loadAllocationModel(dir)).rejects.toThrow(ModelFileError);
  });
});
