/**
 * Loss weighting across a family's K task losses, shared by the KPI and allocation trainers;
 * a separate axis from the architecture, so any pair combines (as LibMTL's weighting/).
 *  - equal: the family's fixed objective (KPI: the paper's eq. 4, mean of the 3 MSEs + CE;
 *    allocation: the routed-MTL paper's eq. 16 with beta_i = 1/K).
 *  - uncertainty: Kendall, Gal and Cipolla, CVPR 2018: L = sum_k L_k / (2 exp(s_k)) + s_k / 2
 *    with learnable log-variances s_k (initial 0), trained with the model. Needs L_k > 0.
 *  - gradnorm: Chen et al., ICML 2018: L = sum_k w_k L_k; every `gradnormInterval` steps the
 *    weights move so that each task's gradient norm on the shared parameters,
 *    G_k = ||grad w_k L_k||, approaches mean(G) * r_k^alpha (r_k = relative inverse
 *    training rate L_k / L_k(0), normalised to mean 1); alpha 1.5, step 0.025, weights
 *    renormalised to sum to `gradnormTotal`. Costs K extra backward passes per update. Needs L_k > 0.
 */
import { tf } from '../engine.js';

export const WEIGHTINGS = ['equal', 'uncertainty', 'gradnorm'] as const;
export type Weighting = (typeof WEIGHTINGS)[number];

export const GRADNORM_ALPHA = 1.5;
export const GRADNORM_LR = 0.025;

/** What a family fixes about its weighting. */
export interface WeightingSpec {
  /** Number of task losses K. */
  tasks: number;
  /** equal: the fixed weights w_k, objective sum_k w_k L_k (also the log's weights). */
  equalWeights: number[];
  /** equal: the objective, when it is not written as sum_k w_k L_k (allocation: tf.mean, bit for bit as before). */
  equalObjective?: (losses: tf.Tensor1D) => tf.Scalar;
  /** gradnorm: the weights always sum to this (KPI: K, so they start at 1). */
  gradnormTotal: number;
  /** gradnorm: re-weight every this many steps. */
  gradnormInterval: number;
}

/** Weighting state that is saved in checkpoints. */
export interface WeightingState {
  method: Weighting;
  /** gradnorm: current weights w_k; equal: fixed weights. */
  weights: number[];
  /** gradnorm: initial task losses L_k(0). */
  initialLosses?: number[];
}

function initialWeighting(method: Weighting, spec: WeightingSpec): WeightingState {
  if (method === 'gradnorm') return { method, weights: Array.from({ length: spec.tasks }, () => spec.gradnormTotal / spec.tasks) };
  return { method, weights: spec.equalWeights.slice() };
}

/** The loss weighting of one training run, as the trainer sees it. */
export interface LossWeighting {
  /** Its own trainable variables by name (uncertainty: the log-variances), trained with the model, without weight decay. */
  readonly variables: Record<string, tf.Variable>;
  /**
   * Before the update of optimiser step `step` (0-based): GradNorm re-weights every
   * gradnormInterval steps from the task losses and their gradients on `shared`.
   */
  beforeStep(step: number, taskLosses: () => tf.Tensor1D, shared: tf.Variable[]): void;
  /** The training objective from the task losses [K]. */
  combine(losses: tf.Tensor1D): tf.Scalar;
  /** The weights for the log (uncertainty: the log-variances). */
  logWeights(): number[];
  /** What a checkpoint saves (the variables are saved with the model's). */
  state(): WeightingState;
  dispose(): void;
}

/** Unweighted gradient norm of each task's loss on `shared`, and the task losses. */
function taskGradientNorms(K: number, taskLosses: () => tf.Tensor1D, shared: tf.Variable[]): { norms: number[]; losses: number[] } {
  const norms: number[] = [];
  let losses: number[] = [];
  for (let k = 0; k < K; k++) {
    const { value, grads } = tf.variableGrads(() => {
      const l = taskLosses();
      if (k === 0) losses = Array.from(l.dataSync());
      return tf.sum(tf.mul(l, tf.oneHot(k, K).asType('float32'))) as tf.Scalar; // no tf.gather: its gradient is missing on wasm
    }, shared);
    value.dispose();
    norms.push(Math.sqrt(Object.values(grads).reduce((acc, gr) => acc + tf.sum(tf.square(gr)).dataSync()[0], 0)));
    tf.dispose(Object.values(grads));
  }
  return { norms, losses };
}

/** Variable names are unique per tfjs engine, and a non-numeric one keeps its place in name-keyed gradient maps. */
let weightingCounter = 0;

/** A weighting of `method` for `spec`, fresh or continuing from a checkpoint's `saved` state. */
export function createWeighting(method: Weighting, spec: WeightingSpec, saved?: WeightingState): LossWeighting {
  let state = saved ?? initialWeighting(method, spec);
  const logVars = method === 'uncertainty' ? tf.variable(tf.zeros([spec.tasks]), true, `weighting${++weightingCounter}/logvars`) : undefined;
  return {
    variables: logVars ? { 'weighting.logvars': logVars } : {},
    beforeStep(step, taskLosses, shared) {
      if (method !== 'gradnorm' || step % spec.gradnormInterval !== 0) return;
      const { norms, losses } = taskGradientNorms(spec.tasks, taskLosses, shared);
      state = gradnormUpdate(state, norms, losses, spec.gradnormTotal);
    },
    combine(losses) {
      if (logVars) return tf.sum(tf.add(tf.div(losses, tf.mul(2, tf.exp(logVars))), tf.div(logVars, 2)));
      if (method === 'equal' && spec.equalObjective) return spec.equalObjective(losses);
      return tf.sum(tf.mul(losses, tf.tensor1d(state.weights)));
    },
    logWeights: () => (logVars ? Array.from(logVars.dataSync()) : state.weights.slice()),
    state: () => state,
    dispose: () => logVars?.dispose(),
  };
}

/**
 * One GradNorm update from unweighted per-task gradient norms `g` and current task
 * losses `l` (both length K); the weights are renormalised to sum to `total`. Returns the new state.
 */
export function gradnormUpdate(state: WeightingState, g: number[], l: number[], total: number): WeightingState {
  const K = g.length;
  const initial = state.initialLosses ?? l.slice();
  // A loss at or below zero (the allocation trainer's shifted capacity loss, on an unlucky batch)
  // counts as fully trained: r^alpha of a negative r would be NaN.
  const ratio = l.map((v, k) => Math.max(0, v) / Math.max(initial[k], 1e-12));
  const meanRatio = ratio.reduce((a, b) => a + b, 0) / K;
  const r = ratio.map((v) => (meanRatio > 0 ? v / meanRatio : 1));
  const G = g.map((v, k) => v * state.weights[k]);
  const meanG = G.reduce((a, b) => a + b, 0) / K;
  // The floor is relative to the mean weight, so no task is switched off whatever the total.
  const floor = (1e-3 * total) / K;
  let w = state.weights.map((wk, k) => {
    const target = meanG * Math.pow(r[k], GRADNORM_ALPHA);
    const grad = Math.sign(G[k] - target) * g[k];
    return Math.max(floor, wk - GRADNORM_LR * grad / Math.max(meanG, 1e-12) * wk);
  });
  const sum = w.reduce((a, b) => a + b, 0);
  w = w.map((v) => (v * total) / sum);
  return { method: state.method, weights: w, initialLosses: initial };
}
