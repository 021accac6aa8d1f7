/**
 * Trainer of the KPI/interference models: Adam (lr 1e-3, coupled L2 weight decay
 * 1e-5 as in PyTorch's Adam), batch 64, shuffled each epoch with a seeded RNG,
 * loss weighting (weighting.ts), validation after every epoch, the best-validation-
 * loss weights kept (validation loss = mean KPI MSE + CE per sample, whatever the
 * weighting), optional early stopping with `patience`.
 *
 * Resumable: with `checkpointDir`, the full state (current and best weights, Adam
 * moments, RNG state, history, weighting state) is saved after every epoch (each save
 * replaces the previous one atomically, so a crash leaves the last complete epoch); a new
 * call continues from it, and returns at once when finished.
 */
import { rmdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import seedrandom from 'seedrandom';
import { tf } from '../engine.js';
import { loadModel, modelExists, saveModel, ModelFileError } from '../model-io.js';
import type { WindowSet } from '../../datasets/windows.js';
import { TASKS, type KpiModel } from './base.js';
import { makeBatch, makeTargets, range } from './data.js';
import { GRADNORM_INTERVAL, combineLosses, gradnormUpdate, initialWeighting, type Weighting, type WeightingState } from './weighting.js';
import { KPI_BATCH_SIZE } from './recipe.js';

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
  checkpointDir?: string;
  onEpoch?: (log: EpochLog) => void;
  onStep?: (stepInEpoch: number, stepsPerEpoch: number, loss: number) => void;
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

interface CheckpointManifest {
  kind: 'kpi-checkpoint';
  epoch: number;
  adamStep: number;
  rngState: object;
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

/** Folder of the checkpoint inside `checkpointDir`. */
const CHECKPOINT = 'latest';
const BETA1 = 0.9;
const BETA2 = 0.999;
const EPS = 1e-8;

/** Predictions on a window set: reg [N, 3] scaled, prob [N] = P(interference). */
export function predictKpi(model: KpiModel, ws: WindowSet, batchSize = 512): { reg: Float32Array; prob: Float32Array } {
  const reg = new Float32Array(ws.count * 3);
  const prob = new Float32Array(ws.count);
  const ctx = { training: false, rng: Math.random };
  for (let a = 0; a < ws.count; a += batchSize) {
    const idx = range(a, Math.min(ws.count, a + batchSize));
    tf.tidy(() => {
      const batch = makeBatch(ws, idx, model.config.context);
      const out = model.forward(batch, ctx);
      reg.set(out.reg.dataSync(), a * 3);
      const p = tf.softmax(out.logits).dataSync();
      for (let i = 0; i < idx.length; i++) prob[a + i] = p[i * 2 + 1];
    });
  }
  return { reg, prob };
}

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

function snapshot(vars: Record<string, tf.Variable>): Record<string, Float32Array> {
  return Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, v.dataSync().slice() as Float32Array]));
}

function restore(vars: Record<string, tf.Variable>, values: Record<string, Float32Array>): void {
  for (const [k, v] of Object.entries(vars)) {
    const src = values[k];
    if (!src) throw new Error(`checkpoint lacks weight '${k}'`);
    v.assign(tf.tensor(src, v.shape));
  }
}

/** The run's checkpoint, if one was saved (a corrupted one is refused: ModelFileError). */
function loadCheckpoint(dir: string): { manifest: CheckpointManifest; weights: Record<string, Float32Array> } | undefined {
  const path = join(dir, CHECKPOINT);
  if (!modelExists(path)) return undefined;
  let m;
  try {
    m = loadModel<CheckpointManifest>(path);
  } catch (err) {
    if (err instanceof ModelFileError) throw new ModelFileError(`checkpoint refused (delete ${path} to start the run over): ${err.message}`);
    throw err;
  }
  const weights: Record<string, Float32Array> = {};
  for (const [k, t] of Object.entries(m.weights)) {
    weights[k] = t.dataSync() as Float32Array;
    t.dispose();
  }
  if (m.manifest.kind !== 'kpi-checkpoint') throw new ModelFileError(`${path}: not a KPI checkpoint (manifest kind '${String(m.manifest.kind)}').`);
  return { manifest: m.manifest, weights };
}

/** Deletes a run's checkpoint (after its final model is saved elsewhere). */
export function removeCheckpoints(dir: string): void {
  rmSync(join(dir, CHECKPOINT), { recursive: true, force: true });
  try {
    rmdirSync(dir);
  } catch {
    // Not empty (other files) or already gone: leave it.
  }
}

/**
 * Trains `model` in place on `train`, selecting on `val`; on return the model holds
 * the best-validation weights.
 */
export function trainKpi(model: KpiModel, train: WindowSet, val: WindowSet, opts: KpiTrainOptions): KpiTrainResult {
  const o = {
    epochs: opts.epochs,
    seed: opts.seed,
    batchSize: opts.batchSize ?? KPI_BATCH_SIZE,
    lr: opts.lr ?? 1e-3,
    weightDecay: opts.weightDecay ?? 1e-5,
    patience: opts.patience ?? 0,
    ema: opts.ema ?? 0,
    weighting: opts.weighting ?? 'equal',
  };
  if (train.count === 0 || val.count === 0) throw new Error('training needs non-empty train and validation windows');
  const vars: Record<string, tf.Variable> = { ...model.params.vars };
  const logVars = o.weighting === 'uncertainty' ? tf.variable(tf.zeros([TASKS.length]), true) : undefined;
  if (logVars) vars['weighting.logvars'] = logVars;
  const names = Object.keys(vars);
  const m: Record<string, tf.Variable> = {};
  const v: Record<string, tf.Variable> = {};
  for (const k of names) {
    m[k] = tf.variable(tf.zerosLike(vars[k]), false);
    v[k] = tf.variable(tf.zerosLike(vars[k]), false);
  }
  let rng = seedrandom(`kpi-train-${o.seed}`, { state: true });
  let epoch = 0, adamStep = 0, bestEpoch = 0, bestValLoss = Infinity, badEpochs = 0;
  let history: EpochLog[] = [];
  let weighting = initialWeighting(o.weighting);
  let trainSeconds = 0, steps = 0, stepSeconds = 0, stoppedEarly = false, done = false;
  let bestWeights: Record<string, Float32Array> = snapshot(vars);
  const ema: Record<string, tf.Variable> = {};
  if (o.ema > 0) for (const k of names) ema[k] = tf.variable(vars[k].clone() as tf.Tensor, false);
  let resumedFrom = 0;

  if (opts.checkpointDir) {
    const ck = loadCheckpoint(opts.checkpointDir);
    if (ck) {
      const mf = ck.manifest;
      const pick = (prefix: string) => Object.fromEntries(names.map((k) => [k, ck.weights[`${prefix}/${k}`]]));
      restore(vars, pick('cur'));
      if (o.ema > 0) restore(ema, names.every((k) => ck.weights[`ema/${k}`]) ? pick('ema') : pick('cur'));
      restore(m, pick('adam.m'));
      restore(v, pick('adam.v'));
      bestWeights = pick('best');
      rng = seedrandom('', { state: mf.rngState as seedrandom.State.Arc4 });
      ({ epoch, adamStep, bestEpoch, bestValLoss, badEpochs, history, trainSeconds, steps, stepSeconds, stoppedEarly } = mf);
      // Finished means: stopped early, or reached the epochs asked for NOW (a run may be extended).
      done = stoppedEarly || epoch >= o.epochs;
      weighting = mf.weighting;
      resumedFrom = epoch;
    }
  }

  const adamApply = (grads: Record<string, tf.Tensor>) => {
    adamStep++;
    const lrT = (o.lr * Math.sqrt(1 - BETA2 ** adamStep)) / (1 - BETA1 ** adamStep);
    tf.tidy(() => {
      for (const k of names) {
        let g = grads[k];
        if (!g) continue;
        if (o.weightDecay > 0 && k !== 'weighting.logvars') g = tf.add(g, tf.mul(vars[k], o.weightDecay));
        const mk = tf.add(tf.mul(m[k], BETA1), tf.mul(g, 1 - BETA1));
        const vk = tf.add(tf.mul(v[k], BETA2), tf.mul(tf.square(g), 1 - BETA2));
        m[k].assign(mk);
        v[k].assign(vk);
        vars[k].assign(tf.sub(vars[k], tf.mul(tf.div(mk, tf.add(tf.sqrt(vk), EPS)), lrT)));
      }
    });
  };

  const shared = model.sharedVariables();
  const stepsPerEpoch = Math.ceil(train.count / o.batchSize);
  while (!done && epoch < o.epochs) {
    const t0 = Date.now();
    const order = range(0, train.count);
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rng() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    let lossSum = 0;
    for (let s = 0; s < stepsPerEpoch; s++) {
      const idx = order.slice(s * o.batchSize, (s + 1) * o.batchSize);
      const ts = Date.now();
      const loss = tf.tidy(() => {
        const batch = makeBatch(train, idx, model.config.context);
        const { y, onehot } = makeTargets(train, idx);
        if (weighting.method === 'gradnorm' && adamStep % GRADNORM_INTERVAL === 0) {
          const norms: number[] = [];
          let lk: number[] = [];
          for (let k = 0; k < TASKS.length; k++) {
            const { value, grads } = tf.variableGrads(() => {
              const l = taskLosses(model, batch, y, onehot, rng);
              if (k === 0) lk = Array.from(l.dataSync());
              return tf.sum(tf.mul(l, tf.oneHot(k, TASKS.length).asType('float32'))) as tf.Scalar; // no tf.gather: its gradient is missing on wasm
            }, shared);
            value.dispose();
            norms.push(Math.sqrt(Object.values(grads).reduce((acc, gr) => acc + tf.sum(tf.square(gr)).dataSync()[0], 0)));
          }
          weighting = gradnormUpdate(weighting, norms, lk);
        }
        const { value, grads } = tf.variableGrads(() => combineLosses(weighting, taskLosses(model, batch, y, onehot, rng), logVars), Object.values(vars));
        const byName: Record<string, tf.Tensor> = {};
        const tfNameToKey = new Map(names.map((k) => [vars[k].name, k]));
        for (const [tfName, g] of Object.entries(grads)) byName[tfNameToKey.get(tfName) as string] = g;
        adamApply(byName);
        if (o.ema > 0) for (const k of names) ema[k].assign(tf.add(tf.mul(ema[k], o.ema), tf.mul(vars[k], 1 - o.ema)));
        return value.dataSync()[0];
      });
      stepSeconds += (Date.now() - ts) / 1000;
      steps++;
      lossSum += loss * idx.length;
      opts.onStep?.(s + 1, stepsPerEpoch, loss);
    }
    epoch++;
    // With EMA on, validate (and keep as best) the averaged weights.
    const current = o.ema > 0 ? snapshot(vars) : undefined;
    if (o.ema > 0) for (const k of names) vars[k].assign(ema[k]);
    const vl = validationLoss(model, val);
    const improved = vl.loss < bestValLoss;
    if (improved) {
      bestValLoss = vl.loss;
      bestEpoch = epoch;
      bestWeights = snapshot(vars);
      badEpochs = 0;
    } else badEpochs++;
    if (current) restore(vars, current);
    const seconds = (Date.now() - t0) / 1000;
    trainSeconds += seconds;
    const log: EpochLog = { epoch, trainLoss: lossSum / train.count, valLoss: vl.loss, valAccuracy: vl.accuracy, valRegLoss: vl.regLoss, seconds, best: improved, weights: logVars ? Array.from(logVars.dataSync()) : weighting.weights.slice() };
    history.push(log);
    if (o.patience > 0 && badEpochs >= o.patience) stoppedEarly = true;
    done = stoppedEarly || epoch >= o.epochs;
    if (opts.checkpointDir) {
      const weights: Record<string, tf.Tensor> = {};
      for (const k of names) {
        weights[`cur/${k}`] = vars[k];
        if (o.ema > 0) weights[`ema/${k}`] = ema[k];
        weights[`adam.m/${k}`] = m[k];
        weights[`adam.v/${k}`] = v[k];
        weights[`best/${k}`] = tf.tensor(bestWeights[k], vars[k].shape);
      }
      const manifest: CheckpointManifest = {
        kind: 'kpi-checkpoint', epoch, adamStep, rngState: rng.state(), history, bestEpoch, bestValLoss, badEpochs,
        weighting, trainSeconds, steps, stepSeconds, done, stoppedEarly, options: o,
      };
      saveModel(join(opts.checkpointDir, CHECKPOINT), { weights, manifest });
      for (const k of names) weights[`best/${k}`].dispose();
    }
    opts.onEpoch?.(log);
  }
  restore(vars, bestWeights);
  for (const k of names) {
    m[k].dispose();
    v[k].dispose();
    ema[k]?.dispose();
  }
  logVars?.dispose();
  return {
    epochsRun: epoch, bestEpoch, bestValLoss, stoppedEarly, history, trainSeconds,
    stepMs: steps > 0 ? (1000 * stepSeconds) / steps : NaN, weighting, resumedFrom,
  };
}
