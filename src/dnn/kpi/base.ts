/**
 * Shared pieces of the six KPI/interference architectures (paper: Kaviani et al.,
 * "Multi-Task Learning Architectures for Joint Interference Detection and KPI
 * Prediction in 5G Networks"): parameter store with seeded PyTorch-style init, the
 * hand-written LSTM, dense layers, seeded dropout and the task heads.
 *
 * Tasks (fixed order): rsrp, rsrq, sinr (regression, scaled units) and cls
 * (interference, 2 logits). Regression heads predict the CHANGE from the window's
 * last observed value (residual): reg = last + head(features) + AR(recent), where
 * AR is a linear autoregressive highway (as in LSTNet, Lai et al., SIGIR 2018) on
 * the last AR_STEPS steps minus the last value. Head output layers and AR start at
 * zero, so an untrained model is exactly the persistence forecast.
 *
 * Inputs are time-major: x is [T*B, F] with row t*B + b holding step t of sample b.
 */
import seedrandom from 'seedrandom';
import { tf } from '../engine.js';
import { dense, variableFrom } from '../ops.js';
import { lstmStates } from './lstm.js';
import { KPI_RECIPE } from './recipe.js';

export const TASKS = ['rsrp', 'rsrq', 'sinr', 'cls'] as const;
export const REG_TASKS = 3;
/** Steps the autoregressive highway reads (relative to the last value). */
export const AR_STEPS = 5;
export const NUM_CLASSES = 2;

export interface KpiModelConfig {
  arch: string;
  /** LSTM hidden size H (default 64). */
  hidden: number;
  /** Window length T (steps per input window). */
  window: number;
  /**
   * Steps the LSTM reads: the last `context` of the window's T steps (default T).
   * The class label sits at the window's last step, and the recent steps carry
   * most of the signal (docs/kpi.md, "Context length").
   */
  context: number;
  /** Input features per step (3: RSRP, RSRQ, SINR). */
  features: number;
  /** Dropout rate (default 0.3). */
  dropout: number;
  /** Predict next = last + change (true, default) or the value itself (the paper). */
  residual: boolean;
  /** Seed for the initial weights. */
  seed: number;
}

export const DEFAULT_CONFIG: Omit<KpiModelConfig, 'arch' | 'context'> = { hidden: KPI_RECIPE.hidden, window: KPI_RECIPE.window, features: 3, dropout: 0.3, residual: KPI_RECIPE.residual, seed: 1 };

export interface KpiBatch {
  /** [steps*B, F] time-major inputs: the last `steps` steps of each window. */
  x: tf.Tensor2D;
  /** Time steps in x (the model's context). */
  steps: number;
  /** [B, 3] last observed step (scaled). */
  last: tf.Tensor2D;
  /** [B, AR_STEPS*F] the last AR_STEPS steps minus the last step (oldest first). */
  recent: tf.Tensor2D;
  batch: number;
}

export interface KpiOutputs {
  /** [B, 3] predicted next RSRP, RSRQ, SINR (scaled). */
  reg: tf.Tensor2D;
  /** [B, 2] interference logits. */
  logits: tf.Tensor2D;
}

/** Forward-pass context: training switches dropout on; dropout draws seeds from `rng`. */
export interface ForwardContext {
  training: boolean;
  rng: () => number;
}

let storeCounter = 0;

export class ParamStore {
  readonly vars: Record<string, tf.Variable> = {};
  private readonly rng: seedrandom.PRNG;
  private readonly id = ++storeCounter;

  constructor(seed: number) {
    this.rng = seedrandom(`kpi-init-${seed}`);
  }

  private uniform(shape: number[], bound: number): tf.Tensor {
    const n = shape.reduce((a, b) => a * b, 1);
    const v = new Float32Array(n);
    for (let i = 0; i < n; i++) v[i] = (2 * this.rng() - 1) * bound;
    return tf.tensor(v, shape);
  }

  add(name: string, init: tf.Tensor): tf.Variable {
    if (this.vars[name]) throw new Error(`duplicate parameter ${name}`);
    // tfjs variable names are global: make them unique per store.
    const v = variableFrom(init, `kpi${this.id}/${name}`);
    this.vars[name] = v;
    return v;
  }

  /** PyTorch nn.Linear init: U(-1/sqrt(in), 1/sqrt(in)); `zero` gives all-zero weights and bias. */
  linear(name: string, inDim: number, outDim: number, zero = false): Linear {
    const bound = 1 / Math.sqrt(inDim);
    const w = this.add(`${name}.w`, zero ? tf.zeros([inDim, outDim]) : this.uniform([inDim, outDim], bound)) as tf.Variable<tf.Rank.R2>;
    const b = this.add(`${name}.b`, zero ? tf.zeros([outDim]) : this.uniform([outDim], bound)) as tf.Variable<tf.Rank.R1>;
    return { w, b };
  }

  /**
   * One LSTM layer, gate order i, f, g, o; PyTorch init U(-1/sqrt(H), 1/sqrt(H)), forget
   * bias +1 (one bias vector, where PyTorch keeps two: 4H fewer parameters).
   */
  lstm(name: string, inDim: number, hidden: number): LstmParams {
    const bound = 1 / Math.sqrt(hidden);
    const wx = this.add(`${name}.wx`, this.uniform([inDim, 4 * hidden], bound)) as tf.Variable<tf.Rank.R2>;
    const wh = this.add(`${name}.wh`, this.uniform([hidden, 4 * hidden], bound)) as tf.Variable<tf.Rank.R2>;
    const init = tf.tidy(() => tf.add(this.uniform([4 * hidden], bound), tf.concat([tf.zeros([hidden]), tf.ones([hidden]), tf.zeros([2 * hidden])])));
    const b = this.add(`${name}.b`, init) as tf.Variable<tf.Rank.R1>;
    return { wx, wh, b, hidden };
  }

  /** A free tensor parameter with given initial values. */
  tensor(name: string, init: tf.Tensor): tf.Variable {
    return this.add(name, init);
  }

  /** Uniform init in [-bound, bound]. */
  uniformTensor(name: string, shape: number[], bound: number): tf.Variable {
    return this.add(name, this.uniform(shape, bound));
  }
}

export interface Linear {
  w: tf.Variable<tf.Rank.R2>;
  b: tf.Variable<tf.Rank.R1>;
}

export interface LstmParams {
  wx: tf.Variable<tf.Rank.R2>;
  wh: tf.Variable<tf.Rank.R2>;
  b: tf.Variable<tf.Rank.R1>;
  hidden: number;
}

export function linear(l: Linear, x: tf.Tensor2D): tf.Tensor2D {
  return dense(x, l.w, l.b);
}

export function dropout(ctx: ForwardContext, x: tf.Tensor2D, rate: number): tf.Tensor2D {
  if (!ctx.training || rate <= 0) return x;
  return tf.dropout(x, rate, undefined, Math.floor(ctx.rng() * 2 ** 31)) as tf.Tensor2D;
}

/**
 * Runs an LSTM over time-major x [T*B, F] (lstm.ts: one kernel-lean forward pass and a
 * hand-written backward pass). Returns the last hidden state [B, H] and every step's
 * hidden state [T*B, H], time-major.
 */
export function runLstm(p: LstmParams, x: tf.Tensor2D, steps: number, batch: number): { last: tf.Tensor2D; states: tf.Tensor2D } {
  const states = lstmStates(x, p.wx, p.wh, p.b, steps);
  return { last: tf.slice(states, [(steps - 1) * batch, 0], [batch, p.hidden]), states };
}

/** MACs of one LSTM layer over T steps, thop's convention (the paper's "FLOPs"). */
export function lstmMacs(inDim: number, H: number, T: number): number {
  return T * (4 * ((inDim + H) * H + H + 2 * H) + 4 * H);
}

/** MACs of a Linear layer (thop: in*out, bias not counted). */
export function linearMacs(inDim: number, outDim: number): number {
  return inDim * outDim;
}

/** Tower Linear(H, H/2)-ReLU-[Dropout]-Linear(H/2, out) per task. */
export interface Tower {
  l1: Linear;
  l2: Linear;
}

export function makeTowers(ps: ParamStore, prefix: string, H: number, residual: boolean): Tower[] {
  const mid = Math.max(1, Math.floor(H / 2));
  return TASKS.map((t) => ({
    l1: ps.linear(`${prefix}.${t}.1`, H, mid),
    l2: ps.linear(`${prefix}.${t}.2`, mid, t === 'cls' ? NUM_CLASSES : 1, residual && t !== 'cls'),
  }));
}

export function towerMacs(H: number): number {
  const mid = Math.max(1, Math.floor(H / 2));
  return TASKS.reduce((s, t) => s + linearMacs(H, mid) + linearMacs(mid, t === 'cls' ? NUM_CLASSES : 1), 0);
}

export function applyTower(ctx: ForwardContext, tw: Tower, x: tf.Tensor2D, rate: number): tf.Tensor2D {
  return linear(tw.l2, dropout(ctx, tf.relu(linear(tw.l1, x)), rate));
}

/** Linear heads Linear(H, out) per task. */
export function makeLinearHeads(ps: ParamStore, prefix: string, H: number, residual: boolean): Linear[] {
  return TASKS.map((t) => ps.linear(`${prefix}.${t}`, H, t === 'cls' ? NUM_CLASSES : 1, residual && t !== 'cls'));
}

export function linearHeadMacs(H: number): number {
  return TASKS.reduce((s, t) => s + linearMacs(H, t === 'cls' ? NUM_CLASSES : 1), 0);
}

/** The autoregressive highway Linear(AR_STEPS*F, 3), zero-initialised (residual models only). */
export function makeAr(ps: ParamStore, features: number, residual: boolean): Linear | undefined {
  return residual ? ps.linear('ar', AR_STEPS * features, REG_TASKS, true) : undefined;
}

export function arMacs(features: number, residual: boolean): number {
  return residual ? linearMacs(AR_STEPS * features, REG_TASKS) : 0;
}

/**
 * Assembles the outputs: per-task head outputs [B,1] x3 + logits [B,2]; when
 * residual adds `last` and the AR highway `ar`.
 */
export function assemble(heads: tf.Tensor2D[], batch: KpiBatch, residual: boolean, ar?: Linear): KpiOutputs {
  let reg = tf.concat(heads.slice(0, REG_TASKS), 1) as tf.Tensor2D;
  if (residual) reg = tf.add(reg, batch.last);
  if (residual && ar) reg = tf.add(reg, linear(ar, batch.recent));
  return { reg, logits: heads[REG_TASKS] };
}

/** An architecture: parameters, forward pass, analytic MACs. */
export interface KpiModel {
  readonly config: KpiModelConfig;
  readonly params: ParamStore;
  forward(batch: KpiBatch, ctx: ForwardContext): KpiOutputs;
  /** Multiply-accumulates per sample of one forward pass (thop convention). */
  macs(): number;
  /** Parameters shared by all tasks (GradNorm measures per-task gradient norms here). */
  sharedVariables(): tf.Variable[];
}

export function countParams(m: KpiModel): number {
  return Object.values(m.params.vars).reduce((s, v) => s + v.size, 0);
}

/** Frees the model's parameters (its only tensors). */
export function disposeKpiModel(m: KpiModel): void {
  tf.dispose(Object.values(m.params.vars));
}
