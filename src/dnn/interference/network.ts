/**
 * The routed multi-task DNN for the K-user interference channel (issue 23): the routed-MTL
 * paper's bDNN + rDNN (Section III, Algorithm 1), one task per number of pairs K. Layout
 * [T, B, d] (task, sample, feature) as in src/dnn/allocation/network.ts.
 *
 * Task t sees its K x K gains in the top-left block of a maxK x maxK grid (features.ts),
 * so input position (k, j) means "gain from transmitter j to receiver k" at every K, and
 * answers with the first K outputs (of each of its M heads: heads.ts serves the best one),
 * powers sigmoid(z) Pmax (in [0, Pmax] by construction).
 * Padded pairs have zero gains: their powers change no real pair's rate, so every task
 * computes its rate over all maxK outputs exactly.
 *
 * Schemes: routed (shared bDNN, hidden-to-hidden layers gated per task by rDNN masks:
 * soft ReLU(tanh(gamma x)) in phase 1, binarised at 0.5 and frozen in phase 2),
 * zero-padding (one ordinary DNN, task index (t+1)/T as an extra input) and single-task
 * (independent per-task weights [T, d_in, d_out], the same architecture).
 */
import { tf } from '../engine.js';
import { matMul, variableFrom } from '../ops.js';
import type { FeatureLayout } from './features.js';

export const INTERFERENCE_SCHEMES = ['routed', 'zero-padding', 'single-task'] as const;
export type InterferenceScheme = (typeof INTERFERENCE_SCHEMES)[number];

export interface InterferenceNetworkConfig {
  scheme: InterferenceScheme;
  /** K of each task, ascending. */
  sizes: number[];
  /** Hidden widths of the bDNN. */
  hiddenWidths: number[];
  /** rDNN hidden nodes and init N(mu, sigma^2), output activation ReLU(tanh(gamma x)) (paper Table I). */
  routerHidden: number;
  routerMu: number;
  routerSigma: number;
  gamma: number;
  maxPowerW: number;
  /**
   * Output heads M (default 1): the network answers M candidate power vectors per instance
   * and the one with the highest sum rate is served (heads.ts; Liang et al., "Towards optimal
   * power control via ensembling deep neural networks", IEEE TCOM 2019).
   */
  heads?: number;
  /** Noise power sigma^2, W: the sum rate that picks a head needs it (absent in one-head models saved before heads existed). */
  noisePowerW?: number;
}

function glorot(shape: number[], seed: number): tf.Tensor {
  const [din, dout] = shape.slice(-2);
  const lim = Math.sqrt(6 / (din + dout));
  return tf.randomUniform(shape, -lim, lim, 'float32', seed);
}

let networkCounter = 0;

export class InterferenceNetwork {
  readonly T: number;
  readonly maxK: number;
  readonly widths: number[];
  readonly perTask: boolean;
  readonly maskedLayers: number[];
  /** Output heads M: the last layer has M x maxK outputs, head h at [h maxK, (h + 1) maxK). */
  readonly heads: number;
  readonly W: tf.Variable[] = [];
  readonly b: tf.Variable[] = [];
  router?: { w1: tf.Variable; b1: tf.Variable; w2: tf.Variable; b2: tf.Variable };
  /** Binary frozen masks [T, din, dout] per masked layer (phase 2 and inference). */
  masks?: tf.Tensor3D[];

  constructor(
    readonly config: InterferenceNetworkConfig,
    seed: number,
  ) {
    const prefix = `interference${++networkCounter}/`;
    this.T = config.sizes.length;
    this.maxK = Math.max(...config.sizes);
    this.heads = config.heads ?? 1;
    const inDim = this.maxK * this.maxK + (config.scheme === 'zero-padding' ? 1 : 0);
    this.widths = [inDim, ...config.hiddenWidths, this.maxK * this.heads];
    const layers = this.widths.length - 1;
    this.perTask = config.scheme === 'single-task';
    this.maskedLayers = config.scheme === 'routed' ? Array.from({ length: layers - 2 }, (_, i) => i + 1) : [];
    for (let l = 0; l < layers; l++) {
      const shape = this.perTask ? [this.T, this.widths[l], this.widths[l + 1]] : [this.widths[l], this.widths[l + 1]];
      this.W.push(variableFrom(glorot(shape, seed * 1000 + l), `${prefix}W${l}`));
      this.b.push(variableFrom(tf.zeros(this.perTask ? [this.T, 1, this.widths[l + 1]] : [this.widths[l + 1]]), `${prefix}b${l}`));
    }
    if (config.scheme === 'routed') {
      const { routerHidden: h, routerMu: mu, routerSigma: sd } = config;
      this.router = {
        w1: variableFrom(tf.randomNormal([this.T, h], mu, sd, 'float32', seed * 1000 + 101), `${prefix}r_w1`),
        b1: variableFrom(tf.zeros([h]), `${prefix}r_b1`),
        w2: variableFrom(tf.randomNormal([h, this.maskSize()], mu, sd, 'float32', seed * 1000 + 102), `${prefix}r_w2`),
        b2: variableFrom(tf.zeros([this.maskSize()]), `${prefix}r_b2`),
      };
    }
  }

  get inDim(): number {
    return this.widths[0];
  }

  /** How features.ts lays out this network's input. */
  featureLayout(): FeatureLayout {
    return { maxK: this.maxK, inDim: this.inDim, indexFeature: this.config.scheme === 'zero-padding', taskCount: this.T, sortPairs: true };
  }

  maskSize(): number {
    return this.maskedLayers.reduce((s, l) => s + this.widths[l] * this.widths[l + 1], 0);
  }

  baseVariables(): tf.Variable[] {
    return [...this.W, ...this.b];
  }

  routerVariables(): tf.Variable[] {
    const r = this.router;
    return r ? [r.w1, r.b1, r.w2, r.b2] : [];
  }

  /** Xavier re-initialisation of the bDNN before phase 2 (Algorithm 1, line 12). */
  reinitBase(seed: number): void {
    tf.tidy(() => {
      this.W.forEach((w, l) => w.assign(glorot(w.shape, seed * 1000 + 500 + l)));
      this.b.forEach((b) => b.assign(tf.zerosLike(b)));
    });
  }

  /** rDNN masks ReLU(tanh(gamma x)), one [T, din, dout] per masked layer; hidden vectors kept at their initial norm (docs/allocation.md, routerNorm). */
  softMasks(): tf.Tensor3D[] {
    const r = this.router;
    if (!r) throw new Error('this scheme has no router');
    const raw = tf.relu(tf.add(r.w1, r.b1)) as tf.Tensor2D;
    const norm = tf.sqrt(tf.add(tf.sum(tf.square(raw), 1, true), 1e-12));
    const hidden = tf.mul(tf.div(raw, norm), this.config.routerMu * Math.sqrt(this.config.routerHidden)) as tf.Tensor2D;
    const out = tf.relu(tf.tanh(tf.mul(this.config.gamma, tf.add(matMul(hidden, r.w2 as tf.Tensor2D), r.b2))));
    // tf.split of one part has no gradient in tfjs (SplitV's concat of nothing).
    const parts = this.maskedLayers.length === 1 ? [out] : tf.split(out, this.maskedLayers.map((l) => this.widths[l] * this.widths[l + 1]), 1);
    return parts.map((p, i) => tf.reshape(p, [this.T, this.widths[this.maskedLayers[i]], this.widths[this.maskedLayers[i] + 1]]) as tf.Tensor3D);
  }

  /** Eq. 15: binarise the masks at 0.5 and freeze them; the router is dropped. */
  binariseMasks(): void {
    this.masks = tf.tidy(() => this.softMasks().map((m) => tf.keep(tf.cast(tf.greater(m, 0.5), 'float32')) as tf.Tensor3D));
    for (const v of this.routerVariables()) v.dispose();
    this.router = undefined;
  }

  /**
   * Logits [T, B, M maxK] for inputs x [T, B, in] of every task, or [1, B, M maxK] for x
   * [1, B, in] of task `task` alone; `soft` overrides the frozen masks (phase 1).
   */
  logits(x: tf.Tensor3D, soft?: tf.Tensor3D[], task?: number): tf.Tensor3D {
    const [tt, bb] = x.shape;
    const pick = <R extends tf.Tensor>(t: R): R => (task === undefined ? t : (tf.slice(t, [task, 0, 0], [1, -1, -1]) as R));
    let h: tf.Tensor3D = x;
    for (let l = 0; l < this.W.length; l++) {
      const mi = this.maskedLayers.indexOf(l);
      const mask = mi >= 0 ? (soft?.[mi] ?? this.masks?.[mi]) : undefined;
      let z: tf.Tensor3D;
      if (this.perTask || mask) {
        const w = mask ? (tf.mul(pick(mask), this.W[l]) as tf.Tensor3D) : pick(this.W[l] as unknown as tf.Tensor3D);
        z = tf.matMul(h, w);
      } else {
        z = tf.reshape(matMul(tf.reshape(h, [tt * bb, this.widths[l]]) as tf.Tensor2D, this.W[l] as unknown as tf.Tensor2D), [tt, bb, this.widths[l + 1]]);
      }
      z = tf.add(z, this.perTask ? pick(this.b[l]) : this.b[l]);
      h = l < this.W.length - 1 ? tf.relu(z) : z;
    }
    return h;
  }

  /** Powers sigmoid(z) Pmax, W, in [0, Pmax] exactly (float32 sigmoid saturates at 0 and 1, never beyond). */
  powers(logits: tf.Tensor3D): tf.Tensor3D {
    return tf.mul(tf.sigmoid(logits), this.config.maxPowerW);
  }

  /** Parameters used at inference (masks excluded), and the rDNN's (training only). */
  parameterCount(): number {
    return this.baseVariables().reduce((s, v) => s + v.size, 0);
  }

  /** Named tensors to save: bDNN weights and, for routed, the binary masks. */
  namedWeights(): Record<string, tf.Tensor> {
    const out: Record<string, tf.Tensor> = {};
    this.W.forEach((w, l) => (out[`W${l}`] = w));
    this.b.forEach((b, l) => (out[`b${l}`] = b));
    this.masks?.forEach((m, i) => (out[`mask${this.maskedLayers[i]}`] = m));
    return out;
  }

  /** Loads tensors written by namedWeights (shapes must match; masks must be binary). */
  setWeights(weights: Record<string, tf.Tensor>): void {
    const need = (name: string, shape: number[]): tf.Tensor => {
      const t = weights[name];
      if (!t) throw new Error(`weight '${name}' is missing`);
      if (t.shape.join(',') !== shape.join(',')) throw new Error(`weight '${name}' has shape [${t.shape}], expected [${shape}]`);
      return t;
    };
    this.W.forEach((w, l) => w.assign(need(`W${l}`, w.shape)));
    this.b.forEach((b, l) => b.assign(need(`b${l}`, b.shape)));
    if (!this.maskedLayers.length) return;
    for (const v of this.routerVariables()) v.dispose();
    this.router = undefined;
    this.masks?.forEach((m) => m.dispose());
    this.masks = this.maskedLayers.map((l) => {
      const m = need(`mask${l}`, [this.T, this.widths[l], this.widths[l + 1]]);
      if (m.dataSync().some((v) => v !== 0 && v !== 1)) throw new Error(`mask${l} is not binary`);
      return tf.keep(tf.clone(m)) as tf.Tensor3D;
    });
  }

  dispose(): void {
    [...this.W, ...this.b, ...this.routerVariables()].forEach((v) => v.dispose());
    this.masks?.forEach((m) => m.dispose());
  }
}
