/**
 * Trainer of the KPI/interference models: Adam with coupled L2 weight decay (as PyTorch's
 * Adam; rate, decay and batch size from the recipe, recipe.ts), shuffled each epoch with a seeded RNG,
 * loss weighting (weighting.ts), validation after every epoch, the best-validation-
 * loss weights kept (validation loss = mean KPI MSE + CE per sample, whatever the
 * weighting), optional early stopping with `patience`.
 *
 * Resumable: with `checkpointDir`, the full state (current and best weights, Adam
 * moments, RNG state, history, weighting state) is saved after every epoch (each save
 * replaces the previous one atomically, so a crash leaves the last complete epoch); a new
 * call continues from it, and returns at once when finished. A non-finite loss stops the
 * run at that step (TrainingDivergedError).
 */
import { tf } from '../engine.js';
import { seededStream, type RandomState } from '../../random.js';
import type { WindowSet } from '../../datasets/kpi/windows.js';
import { CheckpointSlot } from '../training/checkpoint.js';
import type { TrainingListener } from '../training/events.js';
import { assertFiniteLoss } from '../training/finite-loss.js';
import { L2Adam } from '../training/l2-adam.js';
import { StepTimer } from '../training/step-timer.js';
import { prefixed, restoreWeights, snapshotWeights, withPrefix, type WeightValues } from '../training/weights.js';
import type { KpiModel } from './base.js';
import { makeBatch, makeTargets, range } from './data.js';
import { shiftLevels } from '../../datasets/kpi/augment.js';
import { predictKpi } from './predict.js';
import { KPI_OPTIMISER, KPI_RECIPE, KPI_WEIGHTING } from './recipe.js';
import { createWeighting, type Weighting, type WeightingState } from '../training/weighting.js';

export interface KpiTrainOptions {
  epochs: number;
  seed: number;
  batchSize?: number;
  lr?: number;
  weightDecay?: number;
  /** Stop after this many epochs without a better validation loss (0 or undefined: off). */
  patience?: number;
  /**
   * Exponential moving average of the weights (Polyak averaging) with this decay per
   * step (e.g. 0.99; 0 or undefined: off). When on, validation, best-weight
   * selection and the returned model use the averaged weights.
   */
  ema?: number;
  weighting?: Weighting;
  /** Random level shift per training file and epoch, up to this many dB each way (0 or undefined: off). */
  levelShiftDb?: number;
  checkpointDir?: string;
  /**
   * Validate the starting weights first and keep them unless an epoch beats them (fine-tuning
   * a trained model: epoch 0 is a candidate, so adapting never returns worse weights on `val`).
   */
  validateStart?: boolean;
  onEvent?: TrainingListener<EpochLog>;
}

export interface EpochLog {
  epoch: number;
  trainLoss: number;
  valLoss: number;
  valAccuracy: number;
  valRegLoss: number;
  seconds: number;
  best: boolean;
  weights: number[];
}

export interface KpiTrainResult {
  epochsRun: number;
  bestEpoch: number;
  bestValLoss: number;
  stoppedEarly: boolean;
  history: EpochLog[];
  /** Wall seconds spent training (summed over resumed sessions). */
  trainSeconds: number;
  /** Mean wall milliseconds per training step. */
  stepMs: number;
  weighting: WeightingState;
  resumedFrom: number;
}

/** What a checkpoint records besides the weights (named cur/, ema/, best/, adam.m/, adam.v/). */
interface KpiCheckpointState {
  epoch: number;
  adamStep: number;
  rngState: RandomState;
  history: EpochLog[];
  bestEpoch: number;
  bestValLoss: number;
  badEpochs: number;
  weighting: WeightingState;
  trainSeconds: number;
  steps: number;
  stepSeconds: number;
  done: boolean;
  stoppedEarly: boolean;
  options: { epochs: number; seed: number; batchSize: number; lr: number; weightDecay: number; patience: number; ema: number; weighting: Weighting };
}

const CHECKPOINT_KIND = 'kpi-checkpoint';

/** Per-sample validation loss: mean of the three KPI MSEs + cross-entropy; and accuracy. */
export function validationLoss(model: KpiModel, ws: WindowSet): { loss: number; regLoss: number; accuracy: number } {
  const { reg, prob } = predictKpi(model, ws);
  let se = 0, ce = 0, correct = 0;
  for (let i = 0; i < ws.count; i++) {
    for (let j = 0; j < 3; j++) se += (reg[i * 3 + j] - ws.y[i * 3 + j]) ** 2;
    const y = ws.label[i];
    ce -= Math.log(Math.max(y === 1 ? prob[i] : 1 - prob[i], 1e-7));
    if ((prob[i] >= 0.5 ? 1 : 0) === y) correct++;
  }
  const regLoss = se / (3 * ws.count);
  return { loss: regLoss + ce / ws.count, regLoss, accuracy: correct / ws.count };
}

/** Per-task losses [4] (MSE per KPI, CE) of one batch as a tensor. */
function taskLosses(model: KpiModel, batch: ReturnType<typeof makeBatch>, y: tf.Tensor2D, onehot: tf.Tensor2D, rng: () => number): tf.Tensor1D {
  const out = model.forward(batch, { training: true, rng });
  const mse = tf.mean(tf.square(tf.sub(out.reg, y)), 0) as tf.Tensor1D;
  const ce = tf.losses.softmaxCrossEntropy(onehot, out.logits);
  return tf.concat([mse, tf.reshape(ce, [1])]) as tf.Tensor1D;
}

type ResolvedOptions = KpiCheckpointState['options'] & { levelShiftDb: number };

/** The fixed parts of one training run. */
interface KpiRun {
  model: KpiModel;
  train: WindowSet;
  val: WindowSet;
  o: ResolvedOptions;
  vars: Record<string, tf.Variable>;
  names: string[];
  ema: Record<string, tf.Variable>;
  adam: L2Adam;
  weighting: ReturnType<typeof createWeighting>;
  timer: StepTimer;
  stepsPerEpoch: number;
  onEvent?: KpiTrainOptions['onEvent'];
}

/** What changes from epoch to epoch (and a checkpoint records). */
interface KpiProgress {
  epoch: number;
  bestEpoch: number;
  bestValLoss: number;
  badEpochs: number;
  trainSeconds: number;
  stoppedEarly: boolean;
  done: boolean;
  history: EpochLog[];
  bestWeights: WeightValues;
  rng: ReturnType<typeof seededStream>;
}

function resolveOptions(opts: KpiTrainOptions): ResolvedOptions {
  return {
    epochs: opts.epochs,
    seed: opts.seed,
    batchSize: opts.batchSize ?? KPI_OPTIMISER.batchSize,
    lr: opts.lr ?? KPI_OPTIMISER.lr,
    weightDecay: opts.weightDecay ?? KPI_OPTIMISER.weightDecay,
    patience: opts.patience ?? 0,
    ema: opts.ema ?? 0,
    weighting: opts.weighting ?? KPI_RECIPE.weighting,
    levelShiftDb: opts.levelShiftDb ?? 0,
  };
}

/** Continues `p` from the checkpoint `ck`. */
function resume(run: KpiRun, p: KpiProgress, ck: NonNullable<ReturnType<CheckpointSlot<KpiCheckpointState>['load']>>): void {
  const { vars, ema, names, o, timer } = run;
  const st = ck.state;
  restoreWeights(vars, withPrefix(ck.weights, 'cur'));
  if (o.ema > 0) restoreWeights(ema, withPrefix(ck.weights, names.every((k) => ck.weights[`ema/${k}`]) ? 'ema' : 'cur'));
  run.adam.restore(ck.weights, st.adamStep);
  p.bestWeights = withPrefix(ck.weights, 'best');
  p.rng = seededStream('', st.rngState);
  ({ epoch: p.epoch, bestEpoch: p.bestEpoch, bestValLoss: p.bestValLoss, badEpochs: p.badEpochs, history: p.history, trainSeconds: p.trainSeconds, stoppedEarly: p.stoppedEarly } = st);
  timer.steps = st.steps;
  timer.seconds = st.stepSeconds;
  // Finished means: stopped early, or reached the epochs asked for NOW (a run may be extended).
  p.done = p.stoppedEarly || p.epoch >= o.epochs;
  run.onEvent?.({ type: 'resumed', step: p.epoch * run.stepsPerEpoch, total: o.epochs * run.stepsPerEpoch });
}

/** One epoch of shuffled steps; returns the summed per-sample training loss. */
function trainEpoch(run: KpiRun, p: KpiProgress): number {
  const { model, train, o, vars, names, ema, adam, weighting, timer, stepsPerEpoch } = run;
  const shared = model.sharedVariables();
  const epochTrain = o.levelShiftDb > 0 ? shiftLevels(train, o.levelShiftDb, p.rng) : train;
  const order = range(0, train.count);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(p.rng() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  let lossSum = 0;
  for (let s = 0; s < stepsPerEpoch; s++) {
    const idx = order.slice(s * o.batchSize, (s + 1) * o.batchSize);
    const loss = timer.time(() =>
      tf.tidy(() => {
        const batch = makeBatch(epochTrain, idx, model.config.context);
        const { y, onehot } = makeTargets(epochTrain, idx);
        const losses = () => taskLosses(model, batch, y, onehot, p.rng);
        weighting.beforeStep(adam.step, losses, shared);
        const { value, grads } = tf.variableGrads(() => weighting.combine(losses()), Object.values(vars));
        const tfNameToKey = new Map(names.map((k) => [vars[k].name, k]));
        adam.apply(Object.fromEntries(Object.entries(grads).map(([tfName, g]) => [tfNameToKey.get(tfName) as string, g])));
        if (o.ema > 0) for (const k of names) ema[k].assign(tf.add(tf.mul(ema[k], o.ema), tf.mul(vars[k], 1 - o.ema)));
        return value.dataSync()[0];
      }),
    );
    const step = p.epoch * stepsPerEpoch + s + 1;
    assertFiniteLoss(loss, step);
    lossSum += loss * idx.length;
    run.onEvent?.({ type: 'step', step, total: o.epochs * stepsPerEpoch, loss, stage: `epoch ${p.epoch + 1}` });
  }
  return lossSum;
}

/** Validates after an epoch (the averaged weights with EMA on), keeps the best weights, decides early stopping. */
function endEpoch(run: KpiRun, p: KpiProgress, lossSum: number, t0: number): EpochLog {
  const { vars, names, ema, o } = run;
  p.epoch++;
  const current = o.ema > 0 ? snapshotWeights(vars) : undefined;
  if (o.ema > 0) for (const k of names) vars[k].assign(ema[k]);
  const vl = validationLoss(run.model, run.val);
  const improved = vl.loss < p.bestValLoss;
  if (improved) {
    p.bestValLoss = vl.loss;
    p.bestEpoch = p.epoch;
    p.bestWeights = snapshotWeights(vars);
    p.badEpochs = 0;
  } else p.badEpochs++;
  if (current) restoreWeights(vars, current);
  const seconds = (Date.now() - t0) / 1000;
  p.trainSeconds += seconds;
  const log: EpochLog = { epoch: p.epoch, trainLoss: lossSum / run.train.count, valLoss: vl.loss, valAccuracy: vl.accuracy, valRegLoss: vl.regLoss, seconds, best: improved, weights: run.weighting.logWeights() };
  p.history.push(log);
  if (o.patience > 0 && p.badEpochs >= o.patience) p.stoppedEarly = true;
  p.done = p.stoppedEarly || p.epoch >= o.epochs;
  return log;
}

function saveCheckpoint(run: KpiRun, p: KpiProgress, slot: CheckpointSlot<KpiCheckpointState>): void {
  const { vars, names, ema, adam, o, timer } = run;
  const best = Object.fromEntries(names.map((k) => [k, tf.tensor(p.bestWeights[k], vars[k].shape)]));
  const moments = adam.tensors();
  const weights = { ...prefixed('cur', vars), ...(o.ema > 0 ? prefixed('ema', ema) : {}), ...moments, ...prefixed('best', best) };
  const state: KpiCheckpointState = {
    epoch: p.epoch, adamStep: adam.step, rngState: p.rng.state(), history: p.history, bestEpoch: p.bestEpoch, bestValLoss: p.bestValLoss, badEpochs: p.badEpochs,
    weighting: run.weighting.state(), trainSeconds: p.trainSeconds, steps: timer.steps, stepSeconds: timer.seconds, done: p.done, stoppedEarly: p.stoppedEarly, options: o,
  };
  slot.save(state, weights);
  tf.dispose([...Object.values(best), ...Object.values(moments)]);
}

/**
 * Trains `model` in place on `train`, selecting on `val`; on return the model holds
 * the best-validation weights.
 */
export function trainKpi(model: KpiModel, train: WindowSet, val: WindowSet, opts: KpiTrainOptions): KpiTrainResult {
  const o = resolveOptions(opts);
  if (train.count === 0 || val.count === 0) throw new Error('training needs non-empty train and validation windows');
  const slot = opts.checkpointDir ? new CheckpointSlot<KpiCheckpointState>(opts.checkpointDir, CHECKPOINT_KIND) : undefined;
  const ck = slot?.load();
  const weighting = createWeighting(o.weighting, KPI_WEIGHTING, ck?.state.weighting);
  const vars: Record<string, tf.Variable> = { ...model.params.vars, ...weighting.variables };
  const names = Object.keys(vars);
  const adam = new L2Adam(vars, o.lr, o.weightDecay, new Set(Object.keys(weighting.variables)));
  const ema: Record<string, tf.Variable> = {};
  if (o.ema > 0) for (const k of names) ema[k] = tf.variable(vars[k].clone() as tf.Tensor, false);
  const run: KpiRun = { model, train, val, o, vars, names, ema, adam, weighting, timer: new StepTimer(), stepsPerEpoch: Math.ceil(train.count / o.batchSize), onEvent: opts.onEvent };
  const p: KpiProgress = {
    epoch: 0, bestEpoch: 0, bestValLoss: Infinity, badEpochs: 0, trainSeconds: 0, stoppedEarly: false, done: false,
    history: [], bestWeights: snapshotWeights(vars), rng: seededStream(`kpi-train-${o.seed}`),
  };
  if (ck) resume(run, p, ck);
  // Adaptation: the starting weights count as epoch 0, kept unless an epoch beats them.
  else if (opts.validateStart) p.bestValLoss = validationLoss(model, val).loss;
  const resumedFrom = p.epoch;
  while (!p.done && p.epoch < o.epochs) {
    const t0 = Date.now();
    const lossSum = trainEpoch(run, p);
    const log = endEpoch(run, p, lossSum, t0);
    if (slot) saveCheckpoint(run, p, slot);
    opts.onEvent?.({ type: 'epoch', log });
  }
  restoreWeights(vars, p.bestWeights);
  adam.dispose();
  tf.dispose(Object.values(ema));
  const weightingState = weighting.state();
  weighting.dispose();
  return {
    epochsRun: p.epoch, bestEpoch: p.bestEpoch, bestValLoss: p.bestValLoss, stoppedEarly: p.stoppedEarly, history: p.history, trainSeconds: p.trainSeconds,
    stepMs: run.timer.msPerStep, weighting: weightingState, resumedFrom,
  };
}
