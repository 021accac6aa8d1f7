/**
 * The allocation networks of the routed-MTL paper (Section III, Table I), written as
 * batched work over tasks: activations have layout [K, B, d] (task, sample, feature),
 * so one training step of all 14 tasks is one graph, not 14.
 *
 * Weight layers l = 0..6 map widths [in, d1..d6, out]; with Table I, in = out = max N = 20,
 * d1 = d6 = 20, d2..d5 = 32 (7 weight layers, ReLU hidden).
 *
 * Schemes:
 *  - routed:       shared bDNN; the hidden-to-hidden layers l = 1..5 use W_l (.) H_{l,k}
 *                  with per-task masks H from the rDNN (soft in phase 1, binary after);
 *                  task k reads the first N_k inputs and outputs (eq. 14).
 *  - naive:        shared bDNN, no masks (all ones), a task-index feature at input
 *                  position N_k (W_1[1:N_k+1, :]), so in = max N + 1.
 *  - zero-padding: one ordinary DNN over padded vectors: in = max N + 1 (index feature at
 *                  the last position), all max N outputs active (softmax / box over all
 *                  of them, loss on zero-padded labels); a task's answer is its first N.
 *  - single-task:  one DNN per task with the bDNN's architecture (and so its parameter
 *                  count), stored as per-task weights [K, d_in, d_out]. Trained together
 *                  but independently (no weight is shared; Adam is per element).
 *
 * Shared layers use ops.matMul on [K*B, d] (XNNPACK's fast path, see ops.ts). Per-task
 * layers use tf.matMul on [K, B, d_in] x [K, d_in, d_out]; measured on tfjs-wasm for the
 * 5 hidden layers (K = 14, B = 32): batched 6.9 ms/step, a loop of 14 2-D ops.matMul
 * 6.6 ms, block-diagonal 2-D matmul 25 ms, broadcast-multiply-sum 24.6 ms. The batched
 * matmul is kept (same speed as the loop, one op per layer).
 */
import { tf } from '../engine.js';
import { matMul, variableFrom } from '../ops.js';
import type { NetworkConfig } from './network-config.js';
import { meanGainOf, normaliseGain, outputScale, taskIndexFeature } from './tasks.js';

export { defaultNetworkConfig, type NetworkConfig } from './network-config.js';

interface Router {
  w1: tf.Variable;
  b1: tf.Variable;
  w2: tf.Variable;
  b2: tf.Variable;
}

/** Seeded Glorot-uniform values for a weight of shape [..., din, dout]. */
function glorot(shape: number[], seed: number): tf.Tensor {
  const [din, dout] = shape.slice(-2);
  const lim = Math.sqrt(6 / (din + dout));
  return tf.randomUniform(shape, -lim, lim, 'float32', seed);
}

/** Variable names must be unique per tfjs engine: each network gets its own prefix. */
let networkCounter = 0;

export class AllocationNetwork {
  readonly config: NetworkConfig;
  readonly K: number;
  readonly maxN: number;
  readonly inDim: number;
  readonly outDim: number;
  /** Widths [in, d1..d6, out]. */
  readonly widths: number[];
  /** Per layer: weights are per task ([K, din, dout]) rather than shared ([din, dout]). */
  readonly perTask: boolean[];
  /** Layers gated by routing masks (routed scheme only). */
  readonly maskedLayers: number[];
  readonly W: tf.Variable[] = [];
  readonly b: tf.Variable[] = [];
  router?: Router;
  /** Binary, frozen masks [K, din, dout] per masked layer (after phase 1), in maskedLayers order. */
  masks?: tf.Tensor3D[];
  /** Per task: which outputs are active [K, 1, out] (1 for j < N_k; all ones for zero-padding). */
  readonly activeOut: tf.Tensor3D;
  /** Per task: 1 for fdma-delay, 0 for sum-capacity, [K, 1, 1]. */
  readonly isFdma: tf.Tensor3D;
  /** Per task output scale (Ptot or Pmax), [K, 1, 1]. */
  readonly scale: tf.Tensor3D;

  constructor(config: NetworkConfig, seed: number) {
    this.config = config;
    const prefix = `allocation${++networkCounter}/`;
    this.K = config.tasks.length;
    this.maxN = Math.max(...config.tasks.map((t) => t.n));
    const indexFeature = config.scheme === 'naive' || config.scheme === 'zero-padding';
    this.inDim = this.maxN + (indexFeature ? 1 : 0);
    this.outDim = this.maxN;
    this.widths = [this.inDim, ...config.hiddenWidths, this.outDim];
    const layers = this.widths.length - 1;
    this.perTask = Array.from({ length: layers }, () => config.scheme === 'single-task');
    this.maskedLayers = config.scheme === 'routed' ? Array.from({ length: layers - 2 }, (_, i) => i + 1) : [];
    for (let l = 0; l < layers; l++) {
      const shape = this.perTask[l] ? [this.K, this.widths[l], this.widths[l + 1]] : [this.widths[l], this.widths[l + 1]];
      const bshape = this.perTask[l] ? [this.K, 1, this.widths[l + 1]] : [this.widths[l + 1]];
      this.W.push(variableFrom(glorot(shape, seed * 1000 + l), `${prefix}W${l}`));
      this.b.push(variableFrom(tf.zeros(bshape), `${prefix}b${l}`));
    }
    if (config.scheme === 'routed') {
      const m = this.maskSize();
      const t = config.routerHidden;
      const { routerMu: mu, routerSigma: sd } = config;
      this.router = {
        w1: variableFrom(tf.randomNormal([this.K, t], mu, sd, 'float32', seed * 1000 + 101), `${prefix}r_w1`),
        b1: variableFrom(tf.zeros([t]), `${prefix}r_b1`),
        w2: variableFrom(tf.randomNormal([t, m], mu, sd, 'float32', seed * 1000 + 102), `${prefix}r_w2`),
        b2: variableFrom(tf.zeros([m]), `${prefix}r_b2`),
      };
    }
    const active = new Float32Array(this.K * this.outDim);
    const fd = new Float32Array(this.K);
    const sc = new Float32Array(this.K);
    config.tasks.forEach((task, k) => {
      const nActive = config.scheme === 'zero-padding' ? this.outDim : task.n;
      active.fill(1, k * this.outDim, k * this.outDim + nActive);
      fd[k] = task.problem === 'fdma-delay' ? 1 : 0;
      sc[k] = outputScale(task.problem, config.params);
    });
    this.activeOut = tf.tensor3d(active, [this.K, 1, this.outDim]);
    this.isFdma = tf.tensor3d(fd, [this.K, 1, 1]);
    this.scale = tf.tensor3d(sc, [this.K, 1, 1]);
  }

  /** Number of routing-mask entries per task (sum of d_in * d_out over masked layers). */
  maskSize(): number {
    return this.maskedLayers.reduce((s, l) => s + this.widths[l] * this.widths[l + 1], 0);
  }

  /** bDNN trainable variables. */
  baseVariables(): tf.Variable[] {
    return [...this.W, ...this.b];
  }

  routerVariables(): tf.Variable[] {
    const r = this.router;
    return r ? [r.w1, r.b1, r.w2, r.b2] : [];
  }

  /** Xavier re-initialisation of the bDNN (Algorithm 1, line 12); biases to zero. */
  reinitBase(seed: number): void {
    tf.tidy(() => {
      this.W.forEach((w, l) => w.assign(glorot(w.shape, seed * 1000 + 500 + l)));
      this.b.forEach((b) => b.assign(tf.zerosLike(b)));
    });
  }

  /** Soft masks from the rDNN, ReLU(tanh(gamma x)), one [K, din, dout] per masked layer. */
  softMasks(): tf.Tensor3D[] {
    const r = this.router;
    if (!r) throw new Error('this scheme has no router');
    let hidden = tf.relu(tf.add(r.w1, r.b1)) as tf.Tensor2D; // one-hot input: row k of w1
    if (this.config.routerNorm) {
      const norm = tf.sqrt(tf.add(tf.sum(tf.square(hidden), 1, true), 1e-12));
      hidden = tf.mul(tf.div(hidden, norm), this.config.routerMu * Math.sqrt(this.config.routerHidden));
    }
    const out = tf.relu(tf.tanh(tf.mul(this.config.gamma, tf.add(matMul(hidden, r.w2 as tf.Tensor2D), r.b2))));
    const sizes = this.maskedLayers.map((l) => this.widths[l] * this.widths[l + 1]);
    const parts = tf.split(out, sizes, 1);
    return parts.map((p, i) => tf.reshape(p, [this.K, this.widths[this.maskedLayers[i]], this.widths[this.maskedLayers[i] + 1]]) as tf.Tensor3D);
  }

  /** Eq. 15: binarise the rDNN output at 0.5 and freeze it (the router is dropped). */
  binariseMasks(): void {
    this.masks = tf.tidy(() => this.softMasks().map((m) => tf.keep(tf.cast(tf.greater(m, 0.5), 'float32')) as tf.Tensor3D));
    for (const v of this.routerVariables()) v.dispose();
    this.router = undefined;
  }

  /**
   * Output logits [K', B, out] for inputs x [K', B, in]. `taskIdx` selects the tasks
   * (default: all K, in order); `softMasks` overrides the frozen masks (phase 1).
   */
  logits(x: tf.Tensor3D, taskIdx?: number[], softMasks?: tf.Tensor3D[]): tf.Tensor3D {
    const [kk, bb] = x.shape;
    const idx = taskIdx ? tf.tensor1d(taskIdx, 'int32') : undefined;
    const pick = <T extends tf.Tensor>(t: T): T => (idx ? (tf.gather(t, idx) as T) : t);
    let h: tf.Tensor3D = x;
    const layers = this.W.length;
    for (let l = 0; l < layers; l++) {
      const mi = this.maskedLayers.indexOf(l);
      const mask = mi >= 0 ? (softMasks ? softMasks[mi] : this.masks?.[mi]) : undefined;
      let z: tf.Tensor3D;
      if (this.perTask[l] || mask) {
        let w: tf.Tensor3D = this.perTask[l] ? pick(this.W[l] as tf.Tensor3D) : (this.W[l] as unknown as tf.Tensor3D);
        if (mask) w = tf.mul(pick(mask), w);
        if (w.rank === 2) w = tf.tile(tf.expandDims(w, 0), [kk, 1, 1]) as tf.Tensor3D;
        z = tf.matMul(h, w);
      } else {
        z = tf.reshape(matMul(tf.reshape(h, [kk * bb, this.widths[l]]) as tf.Tensor2D, this.W[l] as unknown as tf.Tensor2D), [kk, bb, this.widths[l + 1]]);
      }
      z = tf.add(z, this.perTask[l] ? pick(this.b[l]) : this.b[l]);
      h = l < layers - 1 ? tf.relu(z) : z;
    }
    idx?.dispose();
    return h;
  }

  /**
   * Powers [K', B, out] (W) from logits: softmax over the active outputs times Ptot for
   * fdma-delay, sigmoid times Pmax (inactive outputs 0) for sum-capacity.
   */
  powers(logits: tf.Tensor3D, taskIdx?: number[]): tf.Tensor3D {
    const idx = taskIdx ? tf.tensor1d(taskIdx, 'int32') : undefined;
    const pick = <T extends tf.Tensor>(t: T): T => (idx ? (tf.gather(t, idx) as T) : t);
    const active = pick(this.activeOut);
    const isF = pick(this.isFdma);
    const scale = pick(this.scale);
    const soft = tf.softmax(tf.add(logits, tf.mul(tf.sub(1, active), -1e9)));
    const box = tf.mul(tf.sigmoid(logits), active);
    const p = tf.mul(tf.add(tf.mul(isF, soft), tf.mul(tf.sub(1, isF), box)), scale) as tf.Tensor3D;
    idx?.dispose();
    return p;
  }

  /**
   * Network input [K', B, in] as a flat Float32Array for task indices `taskIdx` and,
   * per task, `rows` samples of gains (row-major count x N_k, linear). Row r of task j is
   * sample rowIndex[j][r] (default rowOffsets[j] + r); rows past a task's count stay zero.
   * With sortInputs, `orders` (length K' * rows * maxN) receives, for each row, the user
   * index presented at each input position (descending gain).
   */
  buildInput(taskIdx: number[], gains: ArrayLike<number>[], rows: number, rowOffsets?: number[], rowIndex?: Int32Array[], orders?: Int32Array): Float32Array {
    const out = new Float32Array(taskIdx.length * rows * this.inDim);
    const order: number[] = [];
    taskIdx.forEach((k, j) => {
      const task = this.config.tasks[k];
      const n = task.n;
      const mg = meanGainOf(task.problem, this.config.params);
      const g = gains[j];
      const count = g.length / n;
      const idxFeature = this.inDim > this.maxN ? taskIndexFeature(k, this.K) : 0;
      const idxPos = this.config.scheme === 'naive' ? n : this.inDim - 1;
      for (let r = 0; r < rows; r++) {
        const src = rowIndex ? rowIndex[j][r] : (rowOffsets?.[j] ?? 0) + r;
        if (src >= count) break;
        const base = (j * rows + r) * this.inDim;
        order.length = n;
        for (let i = 0; i < n; i++) order[i] = i;
        if (this.config.sortInputs) order.sort((a, b) => g[src * n + b] - g[src * n + a]);
        for (let i = 0; i < n; i++) out[base + i] = normaliseGain(g[src * n + order[i]], mg);
        if (orders) for (let i = 0; i < n; i++) orders[(j * rows + r) * this.maxN + i] = order[i];
        if (this.inDim > this.maxN) out[base + idxPos] = idxFeature;
      }
    });
    return out;
  }

  /** Trainable parameters used at inference (masks excluded), per the paper's counting. */
  parameterCount(): number {
    return [...this.W, ...this.b].reduce((s, v) => s + v.size, 0);
  }

  /** Parameters of the rDNN (training only). */
  routerParameterCount(): number {
    return this.routerVariables().reduce((s, v) => s + v.size, 0);
  }

  /** Named tensors for saving (bDNN weights, and binary masks for routed). */
  namedWeights(): Record<string, tf.Tensor> {
    const out: Record<string, tf.Tensor> = {};
    this.W.forEach((w, l) => (out[`W${l}`] = w));
    this.b.forEach((b, l) => (out[`b${l}`] = b));
    this.masks?.forEach((m, i) => (out[`mask${this.maskedLayers[i]}`] = m));
    return out;
  }

  /** Loads named tensors written by namedWeights (shapes must match). */
  setWeights(weights: Record<string, tf.Tensor>): void {
    const need = (name: string, shape: number[]): tf.Tensor => {
      const t = weights[name];
      if (!t) throw new Error(`weight '${name}' is missing`);
      if (t.shape.join(',') !== shape.join(',')) throw new Error(`weight '${name}' has shape [${t.shape}], expected [${shape}]`);
      return t;
    };
    // A variable assigned to itself would free its own data (tfjs drops the old reference first).
    const assign = (v: tf.Variable, t: tf.Tensor) => t !== v && v.assign(t);
    this.W.forEach((w, l) => assign(w, need(`W${l}`, w.shape)));
    this.b.forEach((b, l) => assign(b, need(`b${l}`, b.shape)));
    if (this.maskedLayers.length) {
      for (const v of this.routerVariables()) v.dispose();
      this.router = undefined;
      const old = this.masks;
      this.masks = this.maskedLayers.map((l) => {
        const m = need(`mask${l}`, [this.K, this.widths[l], this.widths[l + 1]]);
        const vals = m.dataSync();
        for (let i = 0; i < vals.length; i++) if (vals[i] !== 0 && vals[i] !== 1) throw new Error(`mask${l} is not binary`);
        return tf.keep(tf.clone(m)) as tf.Tensor3D;
      });
      old?.forEach((m) => m.dispose());
    }
  }

  dispose(): void {
    [...this.W, ...this.b, ...this.routerVariables()].forEach((v) => v.dispose());
    this.masks?.forEach((m) => m.dispose());
    this.activeOut.dispose();
    this.isFdma.dispose();
    this.scale.dispose();
  }
}
