/** @jest-environment ./test/onnx/ort-environment.js */
import seedrandom from 'seedrandom';
import { initEngine, tf } from '../../src/dnn/engine.js';
import {
  AllocationNetwork,
  DEFAULT_ALLOCATION_PARAMS,
  LOG_EXP1_MEAN as TRAINED_MEAN,
  LOG_EXP1_SD as TRAINED_SD,
  SCHEMES,
  defaultNetworkConfig,
  loadAllocationNetwork,
  meanGainOf,
  predictPowers,
  type AllocationTask,
  type Scheme,
} from '../../src/dnn/allocation/index.js';
import { LOG_EXP1_MEAN, LOG_EXP1_SD, allocationOnnxFileName, allocationTaskToOnnx } from '../../src/onnx/export-allocation.js';
import { GAIN_MAX, GAIN_MIN_FDMA_DELAY } from '../../src/solvers/gain-domain.js';
import type { Problem } from '../../src/solvers/params.js';
import { runOnnx } from './run-ort.js';

const TASKS: AllocationTask[] = [
  { problem: 'fdma-delay', n: 3 },
  { problem: 'fdma-delay', n: 5 },
  { problem: 'sum-capacity', n: 3 },
  { problem: 'sum-capacity', n: 5 },
];
const params = DEFAULT_ALLOCATION_PARAMS;
const FLOAT32_MIN_NORMAL = 2 ** -126;

beforeAll(async () => {
  await initEngine();
});

/** A fresh small network with random biases and, for routed, random binary masks (so folding them matters). */
function freshNetwork(scheme: Scheme, seed: number): AllocationNetwork {
  const net = new AllocationNetwork({ ...defaultNetworkConfig(scheme, TASKS, params), hiddenWidths: [6, 8, 8, 6] }, seed);
  const rng = seedrandom(`onnx-alloc-${scheme}-${seed}`);
  const random = (shape: number[], f: () => number) => tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, f), shape);
  const weights: Record<string, tf.Tensor> = {};
  net.W.forEach((w, l) => (weights[`W${l}`] = w));
  net.b.forEach((b, l) => (weights[`b${l}`] = random(b.shape, () => rng() - 0.5)));
  net.maskedLayers.forEach((l) => (weights[`mask${l}`] = random([net.K, net.widths[l], net.widths[l + 1]], () => (rng() < 0.6 ? 1 : 0))));
  net.setWeights(weights);
  return net;
}

/**
 * Rows of gains for a task: Rayleigh draws, one user in a deep fade, ties (`typical`); and
 * rows far from the mean gain (`extreme`: every user 60 dB down, the domain's +-120 dB ends),
 * where |logits| reach 20 to 100 and float32 rounding in another summation order moves a
 * power by up to ~2e-5 relative (in either engine: neither is the exact one).
 */
function gainRows(problem: Problem, n: number, seed: number): { typical: number[][]; extreme: number[][] } {
  const rng = seedrandom(`onnx-gains-${problem}-${n}-${seed}`);
  const mean = meanGainOf(problem, params);
  const rayleigh = () => -Math.log(1 - rng()) * mean;
  const min = problem === 'fdma-delay' ? GAIN_MIN_FDMA_DELAY : 1e-12;
  const typical: number[][] = [];
  for (let r = 0; r < 20; r++) typical.push(Array.from({ length: n }, rayleigh));
  typical.push(Array.from({ length: n }, (_, i) => (i === 0 ? mean * 1e-9 : rayleigh()))); // one user in a deep fade
  typical.push(Array.from({ length: n }, (_, i) => (i < 2 ? mean : rayleigh()))); // ties keep user order
  const extreme = [Array.from({ length: n }, () => mean * 1e-6 * (1 + rng())), Array.from({ length: n }, (_, i) => (i % 2 ? min : GAIN_MAX)), Array.from({ length: n }, () => GAIN_MAX), Array.from({ length: n }, () => min)];
  return { typical, extreme };
}

/** Largest relative difference between ONNX Runtime's powers and the TypeScript path's on `rows`. */
async function worstRelativeError(net: AllocationNetwork, problem: Problem, n: number, rows: number[][], ignoreBelow: number): Promise<number> {
  const flat = new Float32Array(rows.length * n);
  rows.forEach((r, i) => flat.set(r, i * n));
  const k = net.config.tasks.findIndex((t) => t.problem === problem && t.n === n);
  const expected = predictPowers(net, [k], [Float64Array.from(flat)])[0];
  const out = await runOnnx(allocationTaskToOnnx(net, problem, n), { gains: { data: flat, dims: [rows.length, n] } });
  expect(out.power.dims).toEqual([rows.length, n]);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const diff = Math.max(0, Math.abs(out.power.data[i] - expected[i]) - ignoreBelow);
    if (diff > 0) worst = Math.max(worst, diff / Math.abs(expected[i]));
  }
  return worst;
}

async function expectSamePowers(net: AllocationNetwork, problem: Problem, n: number, seed: number): Promise<void> {
  const { typical, extreme } = gainRows(problem, n, seed);
  // Below float32's smallest normal number one engine flushes to zero and the other keeps a subnormal.
  expect(await worstRelativeError(net, problem, n, typical, FLOAT32_MIN_NORMAL)).toBeLessThan(1e-5);
  // Far from the mean, differences under 1e-12 of the output scale (Ptot or Pmax) are ignored:
  // a 1e-14 W power has a logit near -30, where float32 leaves ~1e-4 relative.
  const scale = problem === 'fdma-delay' ? params.fdmaDelay.totalPowerW : params.sumCapacity.maxPowerW;
  expect(await worstRelativeError(net, problem, n, extreme, 1e-12 * scale)).toBeLessThan(3e-5);
}

describe('allocationTaskToOnnx', () => {
  it('uses the same input normalisation constants as training', () => {
    expect(LOG_EXP1_MEAN).toBe(TRAINED_MEAN);
    expect(LOG_EXP1_SD).toBe(TRAINED_SD);
  });

  it.each(SCHEMES.map((s) => [s]))('%s: ONNX Runtime matches the TypeScript powers on every task', async (scheme) => {
    const net = freshNetwork(scheme, 3);
    try {
      for (const t of TASKS) await expectSamePowers(net, t.problem, t.n, 1);
    } finally {
      net.dispose();
    }
  });

  it('the shipped routed model: every task matches', async () => {
    const { net } = loadAllocationNetwork('models/allocation-routed');
    try {
      for (const t of net.config.tasks) await expectSamePowers(net, t.problem, t.n, 2);
    } finally {
      net.dispose();
    }
  });

  it('the shipped routed model on 1000 Rayleigh rows per task: 1e-5 relative almost everywhere, 3e-5 at worst', async () => {
    // Where sum-capacity's hidden activations are large, BOTH engines are ~1.5e-5 from a
    // float64 evaluation of the same network, so a few entries differ by more than 1e-5.
    const { net } = loadAllocationNetwork('models/allocation-routed');
    let entries = 0;
    let above = 0;
    let worst = 0;
    try {
      for (const t of net.config.tasks) {
        const rng = seedrandom(`onnx-many-${t.problem}-${t.n}`);
        const mean = meanGainOf(t.problem, params);
        const gains = Float32Array.from({ length: 1000 * t.n }, () => -Math.log(1 - rng()) * mean);
        const k = net.config.tasks.indexOf(t);
        const expected = predictPowers(net, [k], [Float64Array.from(gains)])[0];
        const out = await runOnnx(allocationTaskToOnnx(net, t.problem, t.n), { gains: { data: gains, dims: [1000, t.n] } });
        for (let i = 0; i < expected.length; i++) {
          const rel = Math.max(0, Math.abs(out.power.data[i] - expected[i]) - FLOAT32_MIN_NORMAL) / Math.abs(expected[i]);
          entries++;
          if (rel > 1e-5) above++;
          worst = Math.max(worst, rel);
        }
      }
    } finally {
      net.dispose();
    }
    expect(entries).toBe(1000 * (5 + 8 + 10 + 12 + 15 + 18 + 20) * 2);
    expect(above / entries).toBeLessThan(1e-3);
    expect(worst).toBeLessThan(3e-5);
  });

  it('refuses a task the model lacks, naming the tasks it has', () => {
    const net = freshNetwork('naive', 1);
    try {
      expect(() => allocationTaskToOnnx(net, 'fdma-delay', 4)).toThrow('the model has no task fdma-delay:4 (it has fdma-delay:3, fdma-delay:5, sum-capacity:3, sum-capacity:5)');
    } finally {
      net.dispose();
    }
  });

  it('names files by problem and two-digit N', () => {
    expect(allocationOnnxFileName('fdma-delay', 5)).toBe('fdma-delay-n05.onnx');
    expect(allocationOnnxFileName('sum-capacity', 20)).toBe('sum-capacity-n20.onnx');
  });
});
