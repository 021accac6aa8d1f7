/**
 * Adam with L2 weight decay added to the gradient (the coupled decay of PyTorch's Adam),
 * over all parameters at once: gradients, weights and moments are concatenated into one
 * flat vector, so a step is a dozen kernels whatever the number of parameters (a PLE
 * model has about eighty, and a per-parameter update ran some sixteen kernels each).
 * Same arithmetic, element by element, as the per-parameter update. Its moments and step
 * count are checkpointed and restored exactly.
 */
import { tf } from '../engine.js';
import type { WeightValues } from './weights.js';

const BETA1 = 0.9;
const BETA2 = 0.999;
const EPS = 1e-8;

export class L2Adam {
  /** Updates applied so far. */
  step = 0;
  private readonly names: string[];
  private readonly sizes: number[];
  private readonly m: tf.Variable;
  private readonly v: tf.Variable;
  private readonly decay: tf.Tensor1D;

  /** `noDecay`: names of variables exempt from weight decay. */
  constructor(private readonly vars: Record<string, tf.Variable>, private readonly lr: number, weightDecay: number, noDecay: ReadonlySet<string> = new Set()) {
    this.names = Object.keys(vars);
    this.sizes = this.names.map((k) => vars[k].size);
    const total = this.sizes.reduce((a, b) => a + b, 0);
    this.m = tf.variable(tf.zeros([total]), false);
    this.v = tf.variable(tf.zeros([total]), false);
    const decay = new Float32Array(total);
    let off = 0;
    this.names.forEach((k, i) => {
      decay.fill(noDecay.has(k) ? 0 : weightDecay, off, off + this.sizes[i]);
      off += this.sizes[i];
    });
    this.decay = tf.tensor1d(decay);
  }

  private flat(ts: tf.Tensor[]): tf.Tensor1D {
    return tf.concat(ts.map((t) => tf.reshape(t, [-1]))) as tf.Tensor1D;
  }

  private unflat(t: tf.Tensor): Record<string, tf.Tensor> {
    const parts = tf.split(t, this.sizes);
    return Object.fromEntries(this.names.map((k, i) => [k, tf.reshape(parts[i], this.vars[k].shape)]));
  }

  /** One update from gradients by variable name (a variable without one gets a zero gradient; its decay still applies). */
  apply(grads: Record<string, tf.Tensor>): void {
    this.step++;
    const lrT = (this.lr * Math.sqrt(1 - BETA2 ** this.step)) / (1 - BETA1 ** this.step);
    tf.tidy(() => {
      const w = this.flat(this.names.map((k) => this.vars[k]));
      const g = tf.add(this.flat(this.names.map((k) => grads[k] ?? tf.zerosLike(this.vars[k]))), tf.mul(w, this.decay));
      const mk = tf.add(tf.mul(this.m, BETA1), tf.mul(g, 1 - BETA1));
      const vk = tf.add(tf.mul(this.v, BETA2), tf.mul(tf.square(g), 1 - BETA2));
      this.m.assign(mk);
      this.v.assign(vk);
      const next = this.unflat(tf.sub(w, tf.mul(tf.div(mk, tf.add(tf.sqrt(vk), EPS)), lrT)));
      for (const k of this.names) this.vars[k].assign(next[k]);
    });
  }

  /** The moments, named `adam.m/<name>` and `adam.v/<name>`, for a checkpoint (new tensors: the caller disposes them). */
  tensors(): Record<string, tf.Tensor> {
    const named = (prefix: string, t: tf.Tensor) => Object.entries(this.unflat(t)).map(([k, x]) => [`${prefix}/${k}`, x] as const);
    return Object.fromEntries([...named('adam.m', this.m), ...named('adam.v', this.v)]);
  }

  /** Restores the moments saved by tensors() and the step count. */
  restore(values: WeightValues, step: number): void {
    const join = (prefix: string, what: string) => {
      const out = new Float32Array(this.m.size);
      let off = 0;
      this.names.forEach((k, i) => {
        const src = values[`${prefix}/${k}`];
        if (!src) throw new Error(`checkpoint lacks ${what} of '${k}'`);
        out.set(src, off);
        off += this.sizes[i];
      });
      return tf.tensor1d(out);
    };
    const [mt, vt] = [join('adam.m', 'Adam first moment'), join('adam.v', 'Adam second moment')];
    this.m.assign(mt);
    this.v.assign(vt);
    tf.dispose([mt, vt]);
    this.step = step;
  }

  dispose(): void {
    tf.dispose([this.m, this.v, this.decay]);
  }
}
