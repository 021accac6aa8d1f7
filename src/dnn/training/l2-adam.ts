/**
 * Adam with L2 weight decay added to the gradient (the coupled decay of PyTorch's Adam),
 * written out so that its moments and step count can be checkpointed and restored
 * exactly.
 */
import { tf } from '../engine.js';
import { prefixed, restoreWeights, withPrefix, type WeightValues } from './weights.js';

const BETA1 = 0.9;
const BETA2 = 0.999;
const EPS = 1e-8;

export class L2Adam {
  /** Updates applied so far. */
  step = 0;
  private readonly m: Record<string, tf.Variable> = {};
  private readonly v: Record<string, tf.Variable> = {};

  /** `noDecay`: names of variables exempt from weight decay. */
  constructor(
    private readonly vars: Record<string, tf.Variable>,
    private readonly lr: number,
    private readonly weightDecay: number,
    private readonly noDecay: ReadonlySet<string> = new Set(),
  ) {
    for (const k of Object.keys(vars)) {
      this.m[k] = tf.variable(tf.zerosLike(vars[k]), false);
      this.v[k] = tf.variable(tf.zerosLike(vars[k]), false);
    }
  }

  /** One update from gradients by variable name (a missing one leaves its variable as it is). */
  apply(grads: Record<string, tf.Tensor>): void {
    this.step++;
    const lrT = (this.lr * Math.sqrt(1 - BETA2 ** this.step)) / (1 - BETA1 ** this.step);
    tf.tidy(() => {
      for (const [k, variable] of Object.entries(this.vars)) {
        let g = grads[k];
        if (!g) continue;
        if (this.weightDecay > 0 && !this.noDecay.has(k)) g = tf.add(g, tf.mul(variable, this.weightDecay));
        const mk = tf.add(tf.mul(this.m[k], BETA1), tf.mul(g, 1 - BETA1));
        const vk = tf.add(tf.mul(this.v[k], BETA2), tf.mul(tf.square(g), 1 - BETA2));
        this.m[k].assign(mk);
        this.v[k].assign(vk);
        variable.assign(tf.sub(variable, tf.mul(tf.div(mk, tf.add(tf.sqrt(vk), EPS)), lrT)));
      }
    });
  }

  /** The moments, named `adam.m/<name>` and `adam.v/<name>`, for a checkpoint. */
  tensors(): Record<string, tf.Tensor> {
    return { ...prefixed('adam.m', this.m), ...prefixed('adam.v', this.v) };
  }

  /** Restores the moments saved by tensors() and the step count. */
  restore(values: WeightValues, step: number): void {
    restoreWeights(this.m, withPrefix(values, 'adam.m'));
    restoreWeights(this.v, withPrefix(values, 'adam.v'));
    this.step = step;
  }

  dispose(): void {
    for (const t of [...Object.values(this.m), ...Object.values(this.v)]) t.dispose();
  }
}
