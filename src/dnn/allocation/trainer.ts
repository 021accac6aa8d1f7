/**
 * Algorithm 1 of the routed-MTL paper (Section III-B-2), batched over tasks.
 *
 * Every step draws B = 32 samples of every task (batches.ts) and minimises the
 * multi-task loss (loss.ts); after it, the sum-capacity duals take a projected ascent step
 *    lambda_i <- max(0, lambda_i + eta_dual (mean sum P / budget_i - 1))  (relative violation).
 *    (Eq. 18 applies (.)^+ to the constraint value itself, so lambda could never
 *    decrease; we use the standard projected update, see docs/allocation.md.)
 * Routed: phase 1 trains bDNN + rDNN for t1 steps; masks are binarised at 0.5 and frozen,
 * the bDNN is re-initialised (Xavier) and phase 2 trains it alone for t2 steps (fresh
 * Adam). Other schemes have no router: they train for t1 + t2 steps (the same budget).
 * The dual variables carry over between phases.
 *
 * Resumable: with `checkpointDir`, the whole state (weights, Adam moments, duals, random
 * stream, curve) is saved every `checkpointEvery` steps; a new call continues from it and
 * gives the weights of an uninterrupted run. A non-finite loss stops the run at that step
 * (TrainingDivergedError).
 */
import { tf } from '../engine.js';
import { seededStream, type RandomState } from '../../random.js';
import { CheckpointSlot, type Checkpoint } from '../training/checkpoint.js';
import type { TrainingListener } from '../training/events.js';
import { assertFiniteLoss } from '../training/finite-loss.js';
import { StepTimer } from '../training/step-timer.js';
import { adamTensors, restoreAdam } from '../training/tf-adam-state.js';
import { byPosition, prefixed, restoreWeights, withPrefix } from '../training/weights.js';
import { batchSampler } from './batches.js';
import type { AllocationData } from './data.js';
import { evaluateNetwork, type TaskMetrics } from './evaluate.js';
import { AllocationLoss } from './loss.js';
import { flatMasks } from './masks.js';
import { createAllocationNetwork } from './model.js';
import type { AllocationNetwork, NetworkConfig } from './network.js';
import { TABLE_I, type Scheme } from './tasks.js';

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
  /**
   * Where to save checkpoints (every checkpointEvery steps, default 500, and at the end of each phase);
   * a run given a folder holding one continues from it. Undefined: none.
   */
  checkpointDir?: string;
  checkpointEvery?: number;
  /** Progress: every step, every test-curve point, a resumed run. */
  onEvent?: TrainingListener<never, CurvePoint>;
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

/** What a checkpoint records besides the tensors. */
interface AllocationCheckpointState {
  phase: 1 | 2;
  /** Steps done in `phase`. */
  stepInPhase: number;
  step: number;
  lambdas: number[];
  rngState: RandomState;
  recentLoss: number[];
  curve: CurvePoint[];
  steps: number;
  stepSeconds: number;
  trainSeconds: number;
}

const CHECKPOINT_KIND = 'allocation-checkpoint';

export function trainAllocation(data: AllocationData, options: TrainOptions): TrainResult {
  const o = { ...DEFAULT_TRAIN_OPTIONS, ...options };
  const net = createAllocationNetwork(o.scheme, data.tasks, data.params, o.network, o.seed);
  const routerParameterCount = net.routerParameterCount();
  const K = data.tasks.length;
  for (const [k, t] of data.tasks.entries()) {
    if (t.problem === 'fdma-delay' && (!data.train[k].power || !data.train[k].objective)) {
      throw new Error(`fdma-delay N=${t.n}: the training data has no optimal powers (labels)`);
    }
  }
  const slot = o.checkpointDir ? new CheckpointSlot<AllocationCheckpointState>(o.checkpointDir, CHECKPOINT_KIND) : undefined;
  const ck = slot?.load();
  let rng = seededStream(`train-allocation:${o.scheme}:${o.seed}`);
  const nextBatch = batchSampler(net, data, o.batchPerTask, () => rng.double());
  const loss = new AllocationLoss(net, data, o);
  const isSum = data.tasks.map((t) => t.problem === 'sum-capacity');
  const lambdas = new Float64Array(K);
  let curve: CurvePoint[] = [];
  let recentLoss: number[] = [];
  const total = o.t1 + o.t2;
  let step = 0;
  let previousSeconds = 0;
  const timer = new StepTimer();
  const t0 = Date.now();
  if (ck) {
    const st = ck.state;
    lambdas.set(st.lambdas);
    rng = seededStream('', st.rngState);
    ({ curve, recentLoss, step } = st);
    timer.steps = st.steps;
    timer.seconds = st.stepSeconds;
    previousSeconds = st.trainSeconds;
    o.onEvent?.({ type: 'resumed', step, total });
  }

  const evaluate = (phase: 1 | 2, lastLoss: number | null) => {
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
    const point: CurvePoint = { step, phase, loss: lastLoss, metrics, lambdas: Array.from(lambdas) };
    curve.push(point);
    o.onEvent?.({ type: 'eval', point });
  };

  /** Runs `phase` for `steps` steps, continuing from `resume` (a checkpoint of this phase). */
  const runPhase = (phase: 1 | 2, steps: number, vars: tf.Variable[], routerVars: tf.Variable[], decay: boolean, resume?: Checkpoint<AllocationCheckpointState>) => {
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
    if (resume) {
      restoreAdam(opt, vars, resume.weights, 'adam');
      if (ropt) restoreAdam(ropt, routerVars, resume.weights, 'router-adam');
    }
    const save = (s: number) => {
      const tensors = phase === 1 ? { ...prefixed('base', byPosition(vars)), ...prefixed('router', byPosition(routerVars)) } : prefixed('net', net.namedWeights());
      const state = { phase, stepInPhase: s, step, lambdas: Array.from(lambdas), rngState: rng.state(), recentLoss, curve, steps: timer.steps, stepSeconds: timer.seconds, trainSeconds: previousSeconds + (Date.now() - t0) / 1000 };
      slot?.save(state, { ...tensors, ...adamTensors(opt, 'adam'), ...(ropt ? adamTensors(ropt, 'router-adam') : {}) });
    };
    for (let s = resume?.state.stepInPhase ?? 0; s < steps; s++) {
      const lossValue = timer.time(() => {
        setRate(s);
        const batch = nextBatch();
        const lambdaT = tf.tensor1d(Float32Array.from(lambdas));
        let meanPower: tf.Tensor1D | undefined;
        const lossT = tf.tidy(() => {
          const { value, grads } = tf.variableGrads(() => {
            const r = loss.compute(batch, lambdaT, useSoft ? net.softMasks() : undefined);
            meanPower = tf.keep(r.meanPower);
            return r.loss;
          }, [...vars, ...routerVars]);
          opt.applyGradients(Object.fromEntries(vars.map((v) => [v.name, grads[v.name]])) as unknown as Record<string, tf.Variable>);
          if (ropt) ropt.applyGradients(Object.fromEntries(routerVars.map((v) => [v.name, grads[v.name]])) as unknown as Record<string, tf.Variable>);
          return value;
        });
        const value = lossT ? lossT.dataSync()[0] : NaN;
        const mp = meanPower ? meanPower.dataSync() : new Float32Array(K);
        for (let k = 0; k < K; k++) {
          if (isSum[k]) lambdas[k] = Math.max(0, lambdas[k] + o.dualStep * dualScale * (mp[k] / loss.budgets[k] - 1));
        }
        tf.dispose([batch.x, batch.label, batch.gains, batch.optDelay, lambdaT, lossT, meanPower]);
        return value;
      });
      assertFiniteLoss(lossValue, step + 1);
      step++;
      recentLoss.push(lossValue);
      if (recentLoss.length > 100) recentLoss.shift();
      o.onEvent?.({ type: 'step', step, total, loss: lossValue, stage: `phase ${phase}` });
      if (o.evalEvery > 0 && (s + 1) % o.evalEvery === 0) evaluate(phase, lossValue);
      if (slot && ((s + 1) % (o.checkpointEvery ?? 500) === 0 || s + 1 === steps)) save(s + 1);
    }
    opt.dispose();
    ropt?.dispose();
  };

  const restoreNet = (c: Checkpoint<AllocationCheckpointState>) => {
    if (c.state.phase === 1) {
      restoreWeights(byPosition(net.baseVariables()), withPrefix(c.weights, 'base'));
      restoreWeights(byPosition(net.routerVariables()), withPrefix(c.weights, 'router'));
      return;
    }
    const named = Object.fromEntries(Object.entries(withPrefix(c.weights, 'net')).map(([k, v]) => [k, tf.tensor(v, c.shapes[`net/${k}`])]));
    net.setWeights(named);
    tf.dispose(Object.values(named));
  };
  if (ck) restoreNet(ck);
  const resumePhase2 = ck?.state.phase === 2 ? ck : undefined;
  if (o.scheme === 'routed') {
    if (!resumePhase2) {
      runPhase(1, o.t1, net.baseVariables(), net.routerVariables(), false, ck);
      net.binariseMasks();
      net.reinitBase(o.seed + 1);
      // The re-initialised bDNN with the frozen masks, before phase 2 trains it.
      if (o.evalEvery > 0) evaluate(2, null);
    }
    runPhase(2, o.t2, net.baseVariables(), [], true, resumePhase2);
  } else {
    runPhase(1, o.t1 + o.t2, net.baseVariables(), [], true, ck);
  }
  loss.dispose();
  return {
    net,
    lambdas: Array.from(lambdas),
    curve,
    finalLoss: recentLoss.reduce((a, b) => a + b, 0) / Math.max(1, recentLoss.length),
    steps: step,
    trainSeconds: previousSeconds + (Date.now() - t0) / 1000,
    stepMs: timer.steps > 0 ? (1000 * timer.seconds) / timer.steps : 0,
    // Share of ones in each task's binary routing masks (routed only).
    maskDensity: net.masks ? flatMasks(net).map((m) => m.reduce((a, b) => a + b, 0) / m.length) : undefined,
    routerParameterCount,
  };
}
