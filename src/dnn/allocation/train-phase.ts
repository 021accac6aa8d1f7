/**
 * One phase of Algorithm 1 (trainer.ts): Adam steps on the multi-task loss of every task's
 * batch, the learning-rate decay at the end of the final phase, the sum-capacity duals'
 * projected ascent after each step, test-curve points and checkpoints along the way.
 */
import { tf } from '../engine.js';
import type { RandomState, seededStream } from '../../random.js';
import type { Checkpoint, CheckpointSlot } from '../training/checkpoint.js';
import { assertFiniteLoss } from '../training/finite-loss.js';
import type { StepTimer } from '../training/step-timer.js';
import { adamTensors, restoreAdam } from '../training/tf-adam-state.js';
import { byPosition, prefixed } from '../training/weights.js';
import type { LossWeighting, WeightingState } from '../training/weighting.js';
import type { batchSampler } from './batches.js';
import type { AllocationData } from './data.js';
import { evaluateNetwork, type TaskMetrics } from './evaluate.js';
import type { AllocationLoss } from './loss.js';
import type { AllocationNetwork } from './network.js';
import type { CurvePoint, DEFAULT_TRAIN_OPTIONS, TrainOptions } from './trainer.js';

/** What a checkpoint records besides the tensors. */
export interface AllocationCheckpointState {
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
  /** The loss weighting's state (absent in checkpoints of runs before weightings existed: equal). */
  weighting?: WeightingState;
}

export const CHECKPOINT_KIND = 'allocation-checkpoint';

/** One training run's state, shared by its phases. */
export interface AllocationRun {
  o: TrainOptions & typeof DEFAULT_TRAIN_OPTIONS;
  net: AllocationNetwork;
  data: AllocationData;
  slot?: CheckpointSlot<AllocationCheckpointState>;
  rng: ReturnType<typeof seededStream>;
  nextBatch: ReturnType<typeof batchSampler>;
  loss: AllocationLoss;
  weighting: LossWeighting;
  isSum: boolean[];
  /** Dual variables per task (0 for fdma-delay). */
  lambdas: Float64Array;
  curve: CurvePoint[];
  /** Losses of the last 100 steps. */
  recentLoss: number[];
  step: number;
  total: number;
  /** Training seconds of earlier sessions (a resumed run). */
  previousSeconds: number;
  timer: StepTimer;
  t0: number;
}

/** A test-curve point now (phase 1 of the routed scheme: the network being trained, with its soft masks). */
export function evaluateCurve(run: AllocationRun, phase: 1 | 2, lastLoss: number | null): void {
  const { net, data, o } = run;
  let metrics: TaskMetrics[];
  if (phase === 1 && net.router) {
    const soft = net.softMasks();
    const saved = net.masks;
    net.masks = soft;
    metrics = evaluateNetwork(net, data.test, o.evalRows, undefined, data.observed?.test);
    tf.dispose(soft);
    net.masks = saved;
  } else {
    metrics = evaluateNetwork(net, data.test, o.evalRows, undefined, data.observed?.test);
  }
  const point: CurvePoint = { step: run.step, phase, loss: lastLoss, metrics, lambdas: Array.from(run.lambdas) };
  run.curve.push(point);
  o.onEvent?.({ type: 'eval', point });
}

export interface PhaseSpec {
  phase: 1 | 2;
  steps: number;
  vars: tf.Variable[];
  routerVars: tf.Variable[];
  /** Decay the learning rate (and dual step) from lrDecayStart of the phase. */
  decay: boolean;
}

interface PhaseOptimisers {
  opt: tf.AdamOptimizer;
  ropt?: tf.AdamOptimizer;
  /** Current learning-rate factor, also applied to the dual step. */
  dualScale: number;
}

/** The variables the phase's main optimiser updates: the bDNN's, then the weighting's own (uncertainty: log-variances). */
const optimised = (run: AllocationRun, spec: PhaseSpec): tf.Variable[] => [...spec.vars, ...Object.values(run.weighting.variables)];

/** One step on every task's batch: gradients for bDNN (and rDNN), then the duals' ascent; returns the loss. */
function trainStep(run: AllocationRun, spec: PhaseSpec, optimisers: PhaseOptimisers): number {
  const { net, loss, lambdas, isSum, o, weighting } = run;
  const { vars, routerVars } = spec;
  const { opt, ropt } = optimisers;
  const K = lambdas.length;
  const batch = run.nextBatch();
  const lambdaT = tf.tensor1d(Float32Array.from(lambdas));
  const soft = () => (routerVars.length > 0 ? net.softMasks() : undefined);
  let meanPower: tf.Tensor1D | undefined;
  const lossT = tf.tidy(() => {
    // GradNorm measures each task's gradient on the bDNN weights (the shared parameters).
    weighting.beforeStep(run.step, () => loss.compute(batch, lambdaT, soft()).perTask, vars);
    const own = optimised(run, spec);
    const { value, grads } = tf.variableGrads(() => {
      const r = loss.compute(batch, lambdaT, soft());
      meanPower = tf.keep(r.meanPower);
      return weighting.combine(r.perTask);
    }, [...own, ...routerVars]);
    opt.applyGradients(Object.fromEntries(own.map((v) => [v.name, grads[v.name]])) as unknown as Record<string, tf.Variable>);
    if (ropt) ropt.applyGradients(Object.fromEntries(routerVars.map((v) => [v.name, grads[v.name]])) as unknown as Record<string, tf.Variable>);
    return value;
  });
  const value = lossT ? lossT.dataSync()[0] : NaN;
  const mp = meanPower ? meanPower.dataSync() : new Float32Array(K);
  for (let k = 0; k < K; k++) {
    if (isSum[k]) lambdas[k] = Math.max(0, lambdas[k] + o.dualStep * optimisers.dualScale * (mp[k] / loss.budgets[k] - 1));
  }
  tf.dispose([batch.x, batch.label, batch.gains, batch.optDelay, lambdaT, lossT, meanPower]);
  return value;
}

function saveCheckpoint(run: AllocationRun, spec: PhaseSpec, optimisers: PhaseOptimisers, stepInPhase: number): void {
  const { phase, vars, routerVars } = spec;
  const tensors = phase === 1 ? { ...prefixed('base', byPosition(vars)), ...prefixed('router', byPosition(routerVars)) } : prefixed('net', run.net.namedWeights());
  const state: AllocationCheckpointState = {
    phase, stepInPhase, step: run.step, lambdas: Array.from(run.lambdas), rngState: run.rng.state(), recentLoss: run.recentLoss, curve: run.curve,
    steps: run.timer.steps, stepSeconds: run.timer.seconds, trainSeconds: run.previousSeconds + (Date.now() - run.t0) / 1000,
    weighting: run.weighting.state(),
  };
  run.slot?.save(state, { ...tensors, ...prefixed('weighting', run.weighting.variables), ...adamTensors(optimisers.opt, 'adam'), ...(optimisers.ropt ? adamTensors(optimisers.ropt, 'router-adam') : {}) });
}

/** Runs `spec.phase` for `spec.steps` steps, continuing from `resume` (a checkpoint of this phase). */
export function runPhase(run: AllocationRun, spec: PhaseSpec, resume?: Checkpoint<AllocationCheckpointState>): void {
  const { o, timer } = run;
  const { phase, steps, routerVars } = spec;
  const optimisers: PhaseOptimisers = { opt: tf.train.adam(o.learningRate), dualScale: 1 };
  if (routerVars.length) optimisers.ropt = tf.train.adam(o.routerLearningRate ?? o.learningRate);
  const decayFrom = spec.decay && o.lrDecayStart < 1 ? Math.floor(o.lrDecayStart * steps) : steps;
  const setRate = (s: number) => {
    if (s < decayFrom) return;
    const f = (s - decayFrom + 1) / Math.max(1, steps - decayFrom);
    optimisers.dualScale = 1 - (1 - o.lrDecayFloor) * f;
    // AdamOptimizer reads its public-at-runtime learningRate field on every update.
    (optimisers.opt as unknown as { learningRate: number }).learningRate = o.learningRate * optimisers.dualScale;
  };
  if (resume) {
    restoreAdam(optimisers.opt, optimised(run, spec), resume.weights, 'adam');
    if (optimisers.ropt) restoreAdam(optimisers.ropt, routerVars, resume.weights, 'router-adam');
  }
  for (let s = resume?.state.stepInPhase ?? 0; s < steps; s++) {
    const lossValue = timer.time(() => {
      setRate(s);
      return trainStep(run, spec, optimisers);
    });
    assertFiniteLoss(lossValue, run.step + 1);
    run.step++;
    run.recentLoss.push(lossValue);
    if (run.recentLoss.length > 100) run.recentLoss.shift();
    o.onEvent?.({ type: 'step', step: run.step, total: run.total, loss: lossValue, stage: `phase ${phase}` });
    if (o.evalEvery > 0 && (s + 1) % o.evalEvery === 0) evaluateCurve(run, phase, lossValue);
    if (run.slot && ((s + 1) % (o.checkpointEvery ?? 500) === 0 || s + 1 === steps)) saveCheckpoint(run, spec, optimisers, s + 1);
  }
  optimisers.opt.dispose();
  optimisers.ropt?.dispose();
}
