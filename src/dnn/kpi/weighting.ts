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

export const WEIGHTINGS = ['equal', 'uncertainty', 'gradnorm'] as const;
export type Weighting = (typeof WEIGHTINGS)[number];

export const GRADNORM_ALPHA = 1.5;
export const GRADNORM_LR = 0.025;
export const GRADNORM_INTERVAL = 10;

/** Weighting state that is saved in checkpoints. */
export interface WeightingState {
  method: Weighting;
  /** gradnorm: current weights w_k; equal: fixed weights. */
  weights: number[];
  /** gradnorm: initial task losses L_k(0). */
  initialLosses?: number[];
}

export function initialWeighting(method: Weighting): WeightingState {
  if (method === 'gradnorm') return { method, weights: [1, 1, 1, 1] };
  return { method, weights: [1 / 3, 1 / 3, 1 / 3, 1] };
}

/**
 * Combines the task losses [4] into the training objective. `logVars` are the
 * uncertainty parameters (only for method 'uncertainty').
 */
export function combineLosses(state: WeightingState, losses: tf.Tensor1D, logVars?: tf.Variable): tf.Scalar {
  if (state.method === 'uncertainty') {
    if (!logVars) throw new Error('uncertainty weighting needs its log-variance parameters');
    return tf.sum(tf.add(tf.div(losses, tf.mul(2, tf.exp(logVars))), tf.div(logVars, 2)));
  }
  return tf.sum(tf.mul(losses, tf.tensor1d(state.weights)));
}

/**
 * One GradNorm update from unweighted per-task gradient norms `g` and current task
 * losses `l` (both length 4). Returns the new state.
 */
export function gradnormUpdate(state: WeightingState, g: number[], l: number[]): WeightingState {
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
