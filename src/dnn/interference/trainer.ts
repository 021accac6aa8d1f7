/**
 * Algorithm 1 of the routed-MTL paper for the interference channel, trained unsupervised
 * on the sum rate itself (as the paper trains P4): the loss is minus the mean over tasks
 * of the mean per-pair rate (sum rate / K, so every K weighs alike), plus a small penalty
 * on squared logits that keeps the sigmoid out of float32 saturation (a saturated output
 * has no gradient and a run can freeze on a fixed on/off pattern; docs/allocation.md).
 *
 * Every step draws fresh channels for every task from one seeded stream (the generator is
 * cheap, so no sample is ever seen twice and no dataset is needed); evaluation uses other
 * streams. Routed: phase 1 trains bDNN + rDNN (soft masks) for t1 steps, masks are
 * binarised and frozen, the bDNN re-initialised, phase 2 trains it for t2 steps with a
 * fresh Adam; other schemes train t1 + t2 steps. The last phase's rate decays linearly to
 * lrDecayFloor x rate from lrDecayStart of its steps. Resumable from `checkpointDir`.
 */
import { tf } from '../engine.js';
import { interferenceGains } from '../../channels/interference.js';
import { seededStream, seededUniform } from '../../random.js';
import type { InterferenceParams } from '../../solvers/params.js';
import { CheckpointSlot, type Checkpoint } from '../training/checkpoint.js';
import type { TrainingListener } from '../training/events.js';
import { assertFiniteLoss } from '../training/finite-loss.js';
import { StepTimer } from '../training/step-timer.js';
import { adamTensors, restoreAdam } from '../training/tf-adam-state.js';
import { byPosition, prefixed, restoreWeights, withPrefix } from '../training/weights.js';
import { buildFeatures, fitFeatureScale, type FeatureScale } from './features.js';
import { InterferenceNetwork, type InterferenceNetworkConfig, type InterferenceScheme } from './network.js';
import { headSumRates, sumRateTensor } from './sum-rate.js';

export interface InterferenceTrainOptions {
  scheme: InterferenceScheme;
  sizes: number[];
  params: InterferenceParams;
  seed: number;
  t1: number;
  t2: number;
  batchPerTask: number;
  learningRate: number;
  logitPenalty: number;
  lrDecayStart: number;
  lrDecayFloor: number;
  hiddenWidths: number[];
  /** Output heads M (1: one answer); with more, the loss rewards the best head per instance (heads.ts). */
  heads: number;
  /** Temperature of the soft maximum over heads, in bits per pair (0: the hard maximum). */
  headSoftness: number;
  checkpointDir?: string;
  checkpointEvery?: number;
  onEvent?: TrainingListener;
}

/**
 * The shipped recipe (docs/allocation.md, "The K-user interference channel"): a logit
 * penalty of 1e-5 instead of 1e-3 (the penalty is charged per pair against a per-pair rate
 * of ~0.18 bits, so 1e-3 x 25 held the outputs away from the on/off powers WMMSE ends at),
 * and 16 output heads trained on a soft maximum (temperature 0.003 bits per pair), the best
 * served: +4.3 points of WMMSE at K = 20 on the Gaussian channel, +4.1 on the geometric one,
 * +1.1 and +1.3 at K = 5, in short single-K runs on validation channels; and 12,000
 * phase-2 steps instead of 3,000 (+2.8 and +2.3 points at K = 20 in the same kind of runs;
 * the rate was still rising at 6,000).
 */
export const INTERFERENCE_TRAIN_DEFAULTS = Object.freeze({
  t1: 1000,
  t2: 12000,
  batchPerTask: 64,
  learningRate: 1e-3,
  logitPenalty: 1e-5,
  lrDecayStart: 0.8,
  lrDecayFloor: 0.1,
  hiddenWidths: [128, 128, 128] as readonly number[],
  heads: 16,
  headSoftness: 0.003,
});

export interface InterferenceTrainResult {
  net: InterferenceNetwork;
  scale: FeatureScale;
  steps: number;
  trainSeconds: number;
  stepMs: number;
  /** Share of ones in each task's binary masks (routed). */
  maskDensity?: number[];
}

interface CheckpointState {
  phase: 1 | 2;
  stepInPhase: number;
  step: number;
  rngState: ReturnType<ReturnType<typeof seededStream>['state']>;
  timerSteps: number;
  timerSeconds: number;
  trainSeconds: number;
}

/** The fixed input standardisation of a channel model at the largest K (a seeded sample of 1000 channels). */
export function featureScaleFor(params: InterferenceParams, maxK: number): FeatureScale {
  const count = 1000;
  return fitFeatureScale(interferenceGains(seededUniform(`interference-scale:${params.channel}:${maxK}`), count, maxK, params), count, maxK);
}

export function networkConfigOf(o: Pick<InterferenceTrainOptions, 'scheme' | 'sizes' | 'hiddenWidths' | 'params' | 'heads'>): InterferenceNetworkConfig {
  const heads = o.heads > 1 ? { heads: o.heads, noisePowerW: o.params.noisePowerW } : {};
  return { scheme: o.scheme, sizes: [...o.sizes], hiddenWidths: [...o.hiddenWidths], routerHidden: 20, routerMu: 0.1, routerSigma: 0.001, gamma: 5, maxPowerW: o.params.maxPowerW, ...heads };
}

/** Mean over instances of the per-pair rate [T, B] (one head) or of its soft (or hard) maximum over the heads [T, B, M]. */
function rewardOf(rate: tf.Tensor, invK: tf.Tensor2D, softness: number): tf.Scalar {
  if (rate.rank === 2) return tf.mean(tf.mul(rate, invK));
  const perPair = tf.mul(rate, tf.expandDims(invK, 2));
  const best = softness > 0 ? tf.mul(softness, tf.logSumExp(tf.div(perPair, softness), 2)) : tf.max(perPair, 2);
  return tf.mean(best);
}

/** Minus the mean per-pair rate over tasks (of the best head, softly), plus the logit penalty, for one batch. */
function batchLoss(net: InterferenceNetwork, o: InterferenceTrainOptions, scale: FeatureScale, uniform: () => number, invK: tf.Tensor2D, soft: boolean): tf.Scalar {
  const T = o.sizes.length;
  const B = o.batchPerTask;
  const tasks = o.sizes.map((k) => ({ k, count: B, gains: interferenceGains(uniform, B, k, o.params) }));
  const f = buildFeatures(tasks, B, net.featureLayout(), scale);
  const z = net.logits(tf.tensor3d(f.x, [T, B, net.inDim]), soft ? net.softMasks() : undefined);
  const direct = tf.tensor3d(f.direct, [T, B, net.maxK]);
  const cross = tf.tensor4d(f.cross, [T, B, net.maxK, net.maxK]);
  const p = net.powers(z);
  const rate = net.heads > 1 ? headSumRates(p, direct, cross, o.params.noisePowerW, net.heads) : sumRateTensor(p, direct, cross, o.params.noisePowerW);
  return tf.add(tf.neg(rewardOf(rate, invK, o.headSoftness)), tf.mul(o.logitPenalty, tf.mean(tf.square(z)))) as tf.Scalar;
}

export function trainInterference(o: InterferenceTrainOptions): InterferenceTrainResult {
  const net = new InterferenceNetwork(networkConfigOf(o), o.seed);
  const scale = featureScaleFor(o.params, net.maxK);
  const slot = o.checkpointDir ? new CheckpointSlot<CheckpointState>(o.checkpointDir, 'interference-checkpoint') : undefined;
  const ck = slot?.load();
  let rng = seededStream(`train-interference:${o.scheme}:${o.params.channel}:${o.seed}`);
  const invK = tf.tensor2d(o.sizes.map((k) => 1 / k), [o.sizes.length, 1]);
  const timer = new StepTimer();
  const total = o.t1 + o.t2;
  const t0 = Date.now();
  let step = 0;
  let previousSeconds = 0;
  if (ck) {
    rng = seededStream('', ck.state.rngState);
    ({ step, timerSteps: timer.steps, timerSeconds: timer.seconds, trainSeconds: previousSeconds } = ck.state);
    o.onEvent?.({ type: 'resumed', step, total });
  }
  const runPhase = (phase: 1 | 2, steps: number, vars: tf.Variable[], decay: boolean, resume?: Checkpoint<CheckpointState>) => {
    const opt = tf.train.adam(o.learningRate);
    if (resume) restoreAdam(opt, vars, resume.weights, 'adam');
    const decayFrom = decay ? Math.floor(o.lrDecayStart * steps) : steps;
    const save = (s: number) => {
      const tensors = phase === 1 ? prefixed('vars', byPosition(vars)) : prefixed('net', net.namedWeights());
      const state: CheckpointState = { phase, stepInPhase: s, step, rngState: rng.state(), timerSteps: timer.steps, timerSeconds: timer.seconds, trainSeconds: previousSeconds + (Date.now() - t0) / 1000 };
      slot?.save(state, { ...tensors, ...adamTensors(opt, 'adam') });
    };
    for (let s = resume?.state.stepInPhase ?? 0; s < steps; s++) {
      if (s >= decayFrom) (opt as unknown as { learningRate: number }).learningRate = o.learningRate * (1 - ((1 - o.lrDecayFloor) * (s - decayFrom + 1)) / Math.max(1, steps - decayFrom));
      const value = timer.time(() => {
        const loss = opt.minimize(() => batchLoss(net, o, scale, () => rng.double(), invK, phase === 1 && !!net.router), true, vars);
        const v = loss ? loss.dataSync()[0] : NaN;
        loss?.dispose();
        return v;
      });
      assertFiniteLoss(value, step + 1);
      step++;
      o.onEvent?.({ type: 'step', step, total, loss: value, stage: `phase ${phase}` });
      if (slot && ((s + 1) % (o.checkpointEvery ?? 250) === 0 || s + 1 === steps)) save(s + 1);
    }
    opt.dispose();
  };
  const resume2 = ck?.state.phase === 2 ? ck : undefined;
  if (ck?.state.phase === 1) restoreWeights(byPosition([...net.baseVariables(), ...net.routerVariables()]), withPrefix(ck.weights, 'vars'));
  if (resume2) {
    const named = Object.fromEntries(Object.entries(withPrefix(resume2.weights, 'net')).map(([k, v]) => [k, tf.tensor(v, resume2.shapes[`net/${k}`])]));
    net.setWeights(named);
    tf.dispose(Object.values(named));
  }
  if (o.scheme === 'routed') {
    if (!resume2) {
      runPhase(1, o.t1, [...net.baseVariables(), ...net.routerVariables()], false, ck);
      net.binariseMasks();
      net.reinitBase(o.seed + 1);
    }
    runPhase(2, o.t2, net.baseVariables(), true, resume2);
  } else {
    runPhase(1, total, net.baseVariables(), true, ck);
  }
  invK.dispose();
  const maskDensity = net.masks ? maskDensities(net) : undefined;
  return { net, scale, steps: step, trainSeconds: previousSeconds + (Date.now() - t0) / 1000, stepMs: timer.steps ? (1000 * timer.seconds) / timer.steps : 0, maskDensity };
}

function maskDensities(net: InterferenceNetwork): number[] {
  return net.config.sizes.map((_, t) => {
    let ones = 0;
    let all = 0;
    for (const m of net.masks ?? []) {
      const v = tf.tidy(() => tf.sum(tf.slice(m, [t, 0, 0], [1, -1, -1])).dataSync()[0]);
      ones += v;
      all += m.shape[1] * m.shape[2];
    }
    return ones / all;
  });
}
