/**
 * Algorithm 1 of the routed-MTL paper (Section III-B-2), batched over tasks.
 *
 * Every step draws B = 32 samples of every task and minimises the multi-task loss
 * (eq. 16) with beta_i = 1/K:
 *  - fdma-delay (supervised): sum_n ((P_n - P*_n) / Ptot)^2 averaged over the batch,
 *    optionally + delayWeight * mean relative delay gap (f0(P) - f0*) / f0*;
 *  - sum-capacity (unsupervised, primal-dual): -mean log2(1 + sum g P)
 *    + lambda_i (mean sum P - budget_i), then the projected dual ascent
 *    lambda_i <- max(0, lambda_i + eta_dual (mean sum P / budget_i - 1))  (relative violation).
 *    (Eq. 18 applies (.)^+ to the constraint value itself, so lambda could never
 *    decrease; we use the standard projected update, see docs/allocation.md.)
 * Routed: phase 1 trains bDNN + rDNN for t1 steps; masks are binarised at 0.5 and frozen,
 * the bDNN is re-initialised (Xavier) and phase 2 trains it alone for t2 steps (fresh
 * Adam). Other schemes have no router: they train for t1 + t2 steps (the same budget).
 * The dual variables carry over between phases.
 */
import { tf } from '../engine.js';
import { seededUniform } from '../../channels/rayleigh.js';
import type { AllocationData } from './data.js';
import { evaluateNetwork, type TaskMetrics } from './evaluate.js';
import { AllocationNetwork, defaultNetworkConfig, type NetworkConfig } from './network.js';
import { TABLE_I, taskBudget, type Scheme } from './tasks.js';

export interface TrainOptions {
  scheme: Scheme;
  seed: number;
  t1: number;
  t2: number;
  learningRate: number;
  /**
   * Learning-rate decay in the final phase (phase 2 for routed, the single phase otherwise):
   * after this fraction of its steps, the rate decays linearly to lrDecayFloor x rate.
   * 1 = constant rate (the paper). Damps the primal-dual oscillation of E[sum P].
   */
  lrDecayStart: number;
  lrDecayFloor: number;
  /** Adam learning rate of the rDNN (default: learningRate). */
  routerLearningRate?: number;
  batchPerTask: number;
  /**
   * Dual step size eta for the sum-capacity budget, applied to the relative violation
   * (mean sum P / budget - 1), so that tasks with larger budgets do not get noisier dual
   * variables; decays with the learning rate in the final phase.
   */
  dualStep: number;
  /**
   * fdma-delay MSE units: 'share' = mean over users of ((P - P*) / (Ptot/N))^2 (default),
   * 'ptot' = sum over users of ((P - P*) / Ptot)^2.
   */
  fdmaLoss: 'share' | 'ptot';
  /**
   * Sum-capacity: weight of a penalty on the mean squared output logit. Without it the
   * sigmoid saturates (logit > ~17 is exactly 1 in float32), its gradient vanishes and a
   * task can stay stuck at a wrong number of full-power users.
   */
  logitPenalty: number;
  /** Weight of the relative-delay term in the fdma-delay loss (0 = pure MSE, the paper). */
  delayWeight: number;
  /** Test-curve evaluation every this many steps (0 = never), on the first evalRows test rows per task. */
  evalEvery: number;
  evalRows: number;
  /** Overrides of Table I (widths, router). */
  network?: Partial<Omit<NetworkConfig, 'scheme' | 'tasks' | 'params'>>;
  /** Called after every step with the global step (1-based), the total, the batch loss and the phase. */
  onStep?: (step: number, total: number, loss: number, phase: 1 | 2) => void;
  /** Called after every test-curve evaluation. */
  onEval?: (point: CurvePoint) => void;
}

export const DEFAULT_TRAIN_OPTIONS: Omit<TrainOptions, 'scheme'> = {
  seed: 1,
  t1: TABLE_I.t1,
  t2: TABLE_I.t2,
  learningRate: TABLE_I.learningRate,
  batchPerTask: TABLE_I.batchPerTask,
  dualStep: 5e-3,
  delayWeight: 0,
  fdmaLoss: 'share',
  logitPenalty: 1e-4,
  lrDecayStart: 0.8,
  lrDecayFloor: 0.1,
  evalEvery: 500,
  evalRows: 2000,
};

export interface CurvePoint {
  step: number;
  phase: 1 | 2;
  /** Batch loss of the step just taken; null at the start of phase 2, before its first step. */
  loss: number | null;
  metrics: TaskMetrics[];
  lambdas: number[];
}

export interface TrainResult {
  net: AllocationNetwork;
  /** Final dual variables per task (0 for fdma-delay tasks). */
  lambdas: number[];
  curve: CurvePoint[];
  /** Mean loss over the last 100 steps of each phase. */
  finalLoss: number;
  steps: number;
  trainSeconds: number;
  /** Mean wall time per training step, ms (excluding test-curve evaluations). */
  stepMs: number;
  /** rDNN parameters (used in training only; 0 without a router). */
  routerParameterCount: number;
  /** Routing-mask density per task after binarisation (routed only). */
  maskDensity?: number[];
}

interface BatchTensors {
  x: tf.Tensor3D;
  label: tf.Tensor3D;
  gains: tf.Tensor3D;
  optDelay: tf.Tensor2D;
}

export function trainAllocation(data: AllocationData, options: TrainOptions): TrainResult {
  const o = { ...DEFAULT_TRAIN_OPTIONS, ...options };
  const config: NetworkConfig = { ...defaultNetworkConfig(o.scheme, data.tasks, data.params), ...o.network };
  const net = new AllocationNetwork(config, o.seed);
  const routerParameterCount = net.routerParameterCount();
  const K = data.tasks.length;
  const B = o.batchPerTask;
  const out = net.outDim;
  const uniform = seededUniform(`train-allocation:${o.scheme}:${o.seed}`);
  const taskIdx = data.tasks.map((_, k) => k);
  const trainGains = data.train.map((s) => s.gains);
  const lambdas = new Float64Array(K);
  const budgets = data.tasks.map((t) => (t.problem === 'sum-capacity' ? taskBudget(t, data.params) : 0));
  const isSum = data.tasks.map((t) => t.problem === 'sum-capacity');
  const packetSeconds = data.params.fdmaDelay.packetBits / data.params.fdmaDelay.bandwidthHz;
  for (const [k, t] of data.tasks.entries()) {
    if (t.problem === 'fdma-delay' && (!data.train[k].power || !data.train[k].objective)) {
      throw new Error(`fdma-delay N=${t.n}: the training data has no optimal powers (labels)`);
    }
  }
  // Constant per-task tensors.
  const budgetT = tf.tensor1d(budgets);
  const sumMask = tf.tensor1d(isSum.map((s) => (s ? 1 : 0)));
  const fdmaMask = tf.tensor1d(isSum.map((s) => (s ? 0 : 1)));
  // fdma-delay MSE in units of the equal share Ptot/N, averaged over users: every size
  // gets a loss of similar magnitude, comparable with the capacity term.
  const invScale = tf.tensor3d(data.tasks.map((t) => (o.fdmaLoss === 'share' ? t.n : 1) / data.params.fdmaDelay.totalPowerW), [K, 1, 1]);
  const invN = tf.tensor2d(data.tasks.map((t) => 1 / t.n), [K, 1]);

  const rowIndex = data.tasks.map(() => new Int32Array(B));
  const labelBuf = new Float32Array(K * B * out);
  const gainBuf = new Float32Array(K * B * out);
  const optBuf = new Float32Array(K * B);
  const orders = new Int32Array(K * B * net.maxN);
  const nextBatch = (): BatchTensors => {
    for (let k = 0; k < K; k++) {
      const count = data.train[k].count;
      for (let r = 0; r < B; r++) rowIndex[k][r] = Math.floor(uniform() * count);
    }
    const x = net.buildInput(taskIdx, trainGains, B, undefined, rowIndex, orders);
    labelBuf.fill(0);
    gainBuf.fill(0);
    optBuf.fill(1);
    for (let k = 0; k < K; k++) {
      const split = data.train[k];
      const n = data.tasks[k].n;
      for (let r = 0; r < B; r++) {
        const src = rowIndex[k][r];
        const base = (k * B + r) * out;
        const ord = (k * B + r) * net.maxN;
        // Gains and labels in the order the network sees the users.
        for (let i = 0; i < n; i++) {
          const u = orders[ord + i];
          gainBuf[base + i] = split.gains[src * n + u];
          if (split.power) labelBuf[base + i] = split.power[src * n + u];
        }
        if (split.objective) optBuf[k * B + r] = split.objective[src];
      }
    }
    return {
      x: tf.tensor3d(x, [K, B, net.inDim]),
      label: tf.tensor3d(labelBuf, [K, B, out]),
      gains: tf.tensor3d(gainBuf, [K, B, out]),
      optDelay: tf.tensor2d(optBuf, [K, B]),
    };
  };

  /** Per-task loss [K] and per-task mean sum power [K]. */
  const taskLosses = (batch: BatchTensors, lambdaT: tf.Tensor1D, soft?: tf.Tensor3D[]): { loss: tf.Scalar; meanPower: tf.Tensor1D } => {
    const z = net.logits(batch.x, undefined, soft);
    const p = net.powers(z);
    const active = net.activeOut;
    // Supervised MSE on powers scaled by Ptot, summed over users, averaged over the batch.
    const sq = tf.sum(tf.mul(tf.square(tf.mul(tf.sub(p, batch.label), invScale)), active), 2);
    const mse = tf.mean(o.fdmaLoss === 'share' ? tf.mul(sq, invN) : sq, 1);
    let fdma = mse;
    if (o.delayWeight > 0) {
      const rate = tf.div(tf.log1p(tf.mul(batch.gains, p)), Math.LN2);
      // Floor the rate: a float32 softmax can underflow to P = 0 (infinite delay).
      const perBand = tf.mul(tf.div(packetSeconds, tf.maximum(tf.add(rate, tf.sub(1, active)), 1e-3)), active);
      const delay = tf.mul(tf.sum(perBand, 2), invN);
      const gap = tf.mean(tf.sub(tf.div(delay, batch.optDelay), 1), 1);
      fdma = tf.add(mse, tf.mul(o.delayWeight, gap));
    }
    const snr = tf.sum(tf.mul(batch.gains, p), 2);
    const cap = tf.mean(tf.div(tf.log1p(snr), Math.LN2), 1);
    const meanPower = tf.mean(tf.sum(tf.mul(p, active), 2), 1) as tf.Tensor1D;
    let sumLoss = tf.add(tf.neg(cap), tf.mul(lambdaT, tf.sub(meanPower, budgetT)));
    if (o.logitPenalty > 0) {
      // Keeps the sigmoid out of float32 saturation (zero gradient, a stuck allocation).
      const zz = tf.mean(tf.div(tf.sum(tf.mul(tf.square(z), active), 2), tf.sum(active, 2)), 1);
      sumLoss = tf.add(sumLoss, tf.mul(o.logitPenalty, zz));
    }
    const perTask = tf.add(tf.mul(fdmaMask, fdma), tf.mul(sumMask, sumLoss));
    return { loss: tf.mean(perTask) as tf.Scalar, meanPower };
  };

  const curve: CurvePoint[] = [];
  const total = o.t1 + o.t2;
  let step = 0;
  let stepTime = 0;
  const recentLoss: number[] = [];
  const t0 = Date.now();

  const evaluate = (phase: 1 | 2, loss: number | null) => {
    let metrics: TaskMetrics[];
    if (phase === 1 && net.router) {
      // Phase-1 curve: the network being trained, i.e. with the soft masks.
      const soft = net.softMasks();
      const saved = net.masks;
      net.masks = soft;
      metrics = evaluateNetwork(net, data.test, o.evalRows);
      tf.dispose(soft);
      net.masks = saved;
    } else {
      metrics = evaluateNetwork(net, data.test, o.evalRows);
    }
    const point: CurvePoint = { step, phase, loss, metrics, lambdas: Array.from(lambdas) };
    curve.push(point);
    o.onEval?.(point);
  };

  const runPhase = (phase: 1 | 2, steps: number, vars: tf.Variable[], routerVars: tf.Variable[], decay: boolean) => {
    const opt = tf.train.adam(o.learningRate);
    const decayFrom = decay && o.lrDecayStart < 1 ? Math.floor(o.lrDecayStart * steps) : steps;
    let dualScale = 1;
    const setRate = (s: number) => {
      if (s < decayFrom) return;
      const f = (s - decayFrom + 1) / Math.max(1, steps - decayFrom);
      dualScale = 1 - (1 - o.lrDecayFloor) * f;
      // AdamOptimizer reads its public-at-runtime learningRate field on every update.
      (opt as unknown as { learningRate: number }).learningRate = o.learningRate * dualScale;
    };
    const ropt = routerVars.length ? tf.train.adam(o.routerLearningRate ?? o.learningRate) : undefined;
    const useSoft = routerVars.length > 0;
    for (let s = 0; s < steps; s++) {
      const ts = performance.now();
      setRate(s);
      const batch = nextBatch();
      const lambdaT = tf.tensor1d(Float32Array.from(lambdas));
      let meanPower: tf.Tensor1D | undefined;
      const lossT = tf.tidy(() => {
        const { value, grads } = tf.variableGrads(() => {
          const soft = useSoft ? net.softMasks() : undefined;
          const r = taskLosses(batch, lambdaT, soft);
          meanPower = tf.keep(r.meanPower);
          return r.loss;
        }, [...vars, ...routerVars]);
        opt.applyGradients(Object.fromEntries(vars.map((v) => [v.name, grads[v.name]])) as unknown as Record<string, tf.Variable>);
        if (ropt) ropt.applyGradients(Object.fromEntries(routerVars.map((v) => [v.name, grads[v.name]])) as unknown as Record<string, tf.Variable>);
        return value;
      });
      const loss = lossT ? lossT.dataSync()[0] : NaN;
      const mp = meanPower ? meanPower.dataSync() : new Float32Array(K);
      for (let k = 0; k < K; k++) {
        if (isSum[k]) lambdas[k] = Math.max(0, lambdas[k] + o.dualStep * dualScale * (mp[k] / budgets[k] - 1));
      }
      tf.dispose([batch.x, batch.label, batch.gains, batch.optDelay, lambdaT, lossT, meanPower]);
      stepTime += performance.now() - ts;
      if (!Number.isFinite(loss)) throw new Error(`training diverged at step ${step + 1} (loss ${loss})`);
      step++;
      recentLoss.push(loss);
      if (recentLoss.length > 100) recentLoss.shift();
      o.onStep?.(step, total, loss, phase);
      if (o.evalEvery > 0 && (s + 1) % o.evalEvery === 0) evaluate(phase, loss);
    }
    opt.dispose();
    ropt?.dispose();
  };

  if (o.scheme === 'routed') {
    runPhase(1, o.t1, net.baseVariables(), net.routerVariables(), false);
    net.binariseMasks();
    net.reinitBase(o.seed + 1);
    // The re-initialised bDNN with the frozen masks, before phase 2 trains it.
    if (o.evalEvery > 0) evaluate(2, null);
    runPhase(2, o.t2, net.baseVariables(), [], true);
  } else {
    runPhase(1, o.t1 + o.t2, net.baseVariables(), [], true);
  }
  tf.dispose([budgetT, sumMask, fdmaMask, invScale, invN]);
  const maskDensity = net.masks
    ? data.tasks.map((_, k) => {
        let on = 0;
        let all = 0;
        for (const m of net.masks as tf.Tensor3D[]) {
          const per = m.shape[1] * m.shape[2];
          const v = m.dataSync().subarray(k * per, (k + 1) * per);
          for (let i = 0; i < v.length; i++) on += v[i];
          all += per;
        }
        return on / all;
      })
    : undefined;
  return {
    net,
    lambdas: Array.from(lambdas),
    curve,
    finalLoss: recentLoss.reduce((a, b) => a + b, 0) / Math.max(1, recentLoss.length),
    steps: step,
    trainSeconds: (Date.now() - t0) / 1000,
    stepMs: stepTime / Math.max(1, step),
    maskDensity,
    routerParameterCount,
  };
}
