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
import { seededStream } from '../../random.js';
import { CheckpointSlot, type Checkpoint } from '../training/checkpoint.js';
import type { TrainingListener } from '../training/events.js';
import { StepTimer } from '../training/step-timer.js';
import { byPosition, restoreWeights, withPrefix } from '../training/weights.js';
import { createWeighting, type Weighting, type WeightingSpec } from '../training/weighting.js';
import { batchSampler } from './batches.js';
import type { AllocationData } from './data.js';
import type { TaskMetrics } from './evaluate.js';
import { AllocationLoss } from './loss.js';
import { CHECKPOINT_KIND, evaluateCurve, runPhase, type AllocationCheckpointState, type AllocationRun } from './train-phase.js';
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
  /** How the task losses are combined (src/dnn/training/weighting.ts); 'equal' is eq. 16, beta_i = 1/K. */
  weighting: Weighting;
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
  weighting: 'equal',
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
  /** Final task weights of a non-equal weighting (uncertainty: the log-variances s_k). */
  taskWeights?: number[];
}

/**
 * The allocation family's weighting: equal is the paper's mean over tasks (computed as tf.mean,
 * as before weightings existed, so equal runs are bit for bit the same); GradNorm's weights sum
 * to 1 like the 1/K ones and move every 50 steps (each update costs K = 14 extra backward passes).
 */
function allocationWeighting(K: number): WeightingSpec {
  return { tasks: K, equalWeights: Array.from({ length: K }, () => 1 / K), equalObjective: (l) => tf.mean(l) as tf.Scalar, gradnormTotal: 1, gradnormInterval: 50 };
}

/** Rebuilds the network's weights from a checkpoint (phase 1: bDNN and rDNN by position; phase 2: the named network). */
function restoreNet(net: AllocationNetwork, c: Checkpoint<AllocationCheckpointState>): void {
  if (c.state.phase === 1) {
    restoreWeights(byPosition(net.baseVariables()), withPrefix(c.weights, 'base'));
    restoreWeights(byPosition(net.routerVariables()), withPrefix(c.weights, 'router'));
    return;
  }
  const named = Object.fromEntries(Object.entries(withPrefix(c.weights, 'net')).map(([k, v]) => [k, tf.tensor(v, c.shapes[`net/${k}`])]));
  net.setWeights(named);
  tf.dispose(Object.values(named));
}

/** The run's state, fresh or continued from the checkpoint `ck`. */
function startRun(data: AllocationData, o: AllocationRun['o'], net: AllocationNetwork, slot?: CheckpointSlot<AllocationCheckpointState>, ck?: Checkpoint<AllocationCheckpointState>): AllocationRun {
  const run: AllocationRun = {
    o,
    net,
    data,
    slot,
    rng: seededStream(`train-allocation:${o.scheme}:${o.seed}`),
    // The sampler draws from whichever stream the run holds (a resumed run replaces it below).
    nextBatch: batchSampler(net, data, o.batchPerTask, () => run.rng.double()),
    loss: new AllocationLoss(net, data, { ...o, positive: o.weighting !== 'equal' }),
    weighting: createWeighting(o.weighting, allocationWeighting(data.tasks.length), ck?.state.weighting),
    isSum: data.tasks.map((t) => t.problem === 'sum-capacity'),
    lambdas: new Float64Array(data.tasks.length),
    curve: [],
    recentLoss: [],
    step: 0,
    total: o.t1 + o.t2,
    previousSeconds: 0,
    timer: new StepTimer(),
    t0: Date.now(),
  };
  if (ck) {
    const st = ck.state;
    run.lambdas.set(st.lambdas);
    run.rng = seededStream('', st.rngState);
    ({ curve: run.curve, recentLoss: run.recentLoss, step: run.step } = st);
    run.timer.steps = st.steps;
    run.timer.seconds = st.stepSeconds;
    restoreWeights(run.weighting.variables, withPrefix(ck.weights, 'weighting'));
    run.previousSeconds = st.trainSeconds;
    o.onEvent?.({ type: 'resumed', step: run.step, total: run.total });
  }
  return run;
}

export function trainAllocation(data: AllocationData, options: TrainOptions): TrainResult {
  const o = { ...DEFAULT_TRAIN_OPTIONS, ...options };
  const net = createAllocationNetwork(o.scheme, data.tasks, data.params, o.network, o.seed);
  const routerParameterCount = net.routerParameterCount();
  for (const [k, t] of data.tasks.entries()) {
    if (t.problem === 'fdma-delay' && (!data.train[k].power || !data.train[k].objective)) {
      throw new Error(`fdma-delay N=${t.n}: the training data has no optimal powers (labels)`);
    }
  }
  const slot = o.checkpointDir ? new CheckpointSlot<AllocationCheckpointState>(o.checkpointDir, CHECKPOINT_KIND) : undefined;
  const ck = slot?.load();
  const run = startRun(data, o, net, slot, ck);
  if (ck) restoreNet(net, ck);
  const resumePhase2 = ck?.state.phase === 2 ? ck : undefined;
  if (o.scheme === 'routed') {
    if (!resumePhase2) {
      runPhase(run, { phase: 1, steps: o.t1, vars: net.baseVariables(), routerVars: net.routerVariables(), decay: false }, ck);
      net.binariseMasks();
      net.reinitBase(o.seed + 1);
      // The re-initialised bDNN with the frozen masks, before phase 2 trains it.
      if (o.evalEvery > 0) evaluateCurve(run, 2, null);
    }
    runPhase(run, { phase: 2, steps: o.t2, vars: net.baseVariables(), routerVars: [], decay: true }, resumePhase2);
  } else {
    runPhase(run, { phase: 1, steps: o.t1 + o.t2, vars: net.baseVariables(), routerVars: [], decay: true }, ck);
  }
  run.loss.dispose();
  const weights = run.weighting.logWeights();
  run.weighting.dispose();
  const { recentLoss, timer } = run;
  return {
    net,
    lambdas: Array.from(run.lambdas),
    curve: run.curve,
    finalLoss: recentLoss.reduce((a, b) => a + b, 0) / Math.max(1, recentLoss.length),
    steps: run.step,
    trainSeconds: run.previousSeconds + (Date.now() - run.t0) / 1000,
    stepMs: timer.steps > 0 ? (1000 * timer.seconds) / timer.steps : 0,
    // Share of ones in each task's binary routing masks (routed only).
    maskDensity: net.masks ? flatMasks(net).map((m) => m.reduce((a, b) => a + b, 0) / m.length) : undefined,
    routerParameterCount,
    ...(o.weighting === 'equal' ? {} : { taskWeights: weights }),
  };
}
