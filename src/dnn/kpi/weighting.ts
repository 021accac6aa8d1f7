/**
 * Loss weighting across the four task losses [mse_rsrp, mse_rsrq, mse_sinr, ce]; a
 * separate axis from the architecture, so any pair combines.
 *  - equal: the paper's eq. 4, L = mean(MSE over the 3 KPIs) + CE.
 *  - uncertainty: Kendall, Gal and Cipolla, CVPR 2018: L = sum_k L_k / (2 exp(s_k)) + s_k / 2
 *    with learnable log-variances s_k (initial 0), trained with the model.
 *  - gradnorm: Chen et al., ICML 2018: L = sum_k w_k L_k; every `interval` steps the
 *    weights move so that each task's gradient norm on the shared parameters,
 *    G_k = ||grad w_k L_k||, approaches mean(G) * r_k^alpha (r_k = relative inverse
 *    training rate L_k / L_k(0), normalised to mean 1); alpha 1.5, step 0.025, weights
 *    renormalised to sum to 4. Costs 4 extra backward passes per update.
 */
import { tf } from '../engine.js';
import { TASKS } from './base.js';

export const WEIGHTINGS = ['equal', 'uncertainty', 'gradnorm'] as const;
export type Weighting = (typeof WEIGHTINGS)[number];

export const GRADNORM_ALPHA = 1.5;
export const GRADNORM_LR = 0.025;
export const GRADNORM_INTERVAL = 10;
/** Task losses: MSE of RSRP, RSRQ, SINR, and the interference cross-entropy. */
const TASK_COUNT = TASKS.length;

/** Weighting state that is saved in checkpoints. */
export interface WeightingState {
  method: Weighting;
  /** gradnorm: current weights w_k; equal: fixed weights. */
  weights: number[];
  /** gradnorm: initial task losses L_k(0). */
  initialLosses?: number[];
}

function initialWeighting(method: Weighting): WeightingState {
  if (method === 'gradnorm') return { method, weights: [1, 1, 1, 1] };
  return { method, weights: [1 / 3, 1 / 3, 1 / 3, 1] };
}

/** The loss weighting of one training run, as the trainer sees it. */
export interface LossWeighting {
  /** Its own trainable variables by name (uncertainty: the log-variances), trained with the model, without weight decay. */
  readonly variables: Record<string, tf.Variable>;
  /**
   * Before the update of optimiser step `step` (0-based): GradNorm re-weights every
   * GRADNORM_INTERVAL steps from the task losses and their gradients on `shared`.
   */
  beforeStep(step: number, taskLosses: () => tf.Tensor1D, shared: tf.Variable[]): void;
  /** The training objective from the task losses [4]. */
  combine(losses: tf.Tensor1D): tf.Scalar;
  /** The weights for the epoch log (uncertainty: the log-variances). */
  logWeights(): number[];
  /** What a checkpoint saves (the variables are saved with the model's). */
  state(): WeightingState;
  dispose(): void;
}

/** A weighting of `method`, fresh or continuing from a checkpoint's `saved` state. */
export function createWeighting(method: Weighting, saved?: WeightingState): LossWeighting {
  let state = saved ?? initialWeighting(method);
  const logVars = method === 'uncertainty' ? tf.variable(tf.zeros([TASK_COUNT]), true) : undefined;
  return {
    variables: logVars ? { 'weighting.logvars': logVars } : {},
    beforeStep(step, taskLosses, shared) {
      if (method !== 'gradnorm' || step % GRADNORM_INTERVAL !== 0) return;
      const norms: number[] = [];
      let losses: number[] = [];
      for (let k = 0; k < TASK_COUNT; k++) {
        const { value, grads } = tf.variableGrads(() => {
          const l = taskLosses();
          if (k === 0) losses = Array.from(l.dataSync());
          return tf.sum(tf.mul(l, tf.oneHot(k, TASK_COUNT).asType('float32'))) as tf.Scalar; // no tf.gather: its gradient is missing on wasm
        }, shared);
        value.dispose();
        norms.push(Math.sqrt(Object.values(grads).reduce((acc, gr) => acc + tf.sum(tf.square(gr)).dataSync()[0], 0)));
      }
      state = gradnormUpdate(state, norms, losses);
    },
    combine(losses) {
      if (logVars) return tf.sum(tf.add(tf.div(losses, tf.mul(2, tf.exp(logVars))), tf.div(logVars, 2)));
      return tf.sum(tf.mul(losses, tf.tensor1d(state.weights)));
    },
    logWeights: () => (logVars ? Array.from(logVars.dataSync()) : state.weights.slice()),
    state: () => state,
    dispose: () => logVars?.dispose(),
  };
}

/**
 * One GradNorm update from unweighted per-task gradient norms `g` and current task
 * losses `l` (both length 4). Returns the new state.
 */
function gradnormUpdate(state: WeightingState, g: number[], l: number[]): WeightingState {
  const K = g.length;
  const initial = state.initialLosses ?? l.slice();
  const ratio = l.map((v, k) => v / Math.max(initial[k], 1e-12));
  const meanRatio = ratio.reduce((a, b) => a + b, 0) / K;
  const r = ratio.map((v) => v / meanRatio);
  const G = g.map((v, k) => v * state.weights[k]);
  const meanG = G.reduce((a, b) => a + b, 0) / K;
  let w = state.weights.map((wk, k) => {
    const target = meanG * Math.pow(r[k], GRADNORM_ALPHA);
    const grad = Math.sign(G[k] - target) * g[k];
    return Math.max(1e-3, wk - GRADNORM_LR * grad / Math.max(meanG, 1e-12) * wk);
  });
  const sum = w.reduce((a, b) => a + b, 0);
  w = w.map((v) => (v * K) / sum);
  return { method: state.method, weights: w, initialLosses: initial };
}
