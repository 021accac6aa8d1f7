/**
 * Small tensor ops shared by every model. Written for tfjs-wasm's fast paths
 * (measured): XNNPACK's matmul runs only for 2-D matmuls without a
 * transpose flag, and tfjs's own matMul gradient uses transpose flags, so its
 * backward pass falls back to a slow loop. `matMul` transposes explicitly instead.
 */
import { tf } from './engine.js';

type CustomGradFn = Parameters<typeof tf.customGrad>[0];

const fastMatMul = tf.customGrad(((x: tf.Tensor2D, w: tf.Tensor2D, save: tf.GradSaveFunc) => {
  save([x, w]);
  return {
    value: tf.matMul(x, w),
    gradFunc: (dy: tf.Tensor2D, saved: tf.Tensor[]) => {
      const [xs, ws] = saved as tf.Tensor2D[];
      return [tf.matMul(dy, tf.transpose(ws)), tf.matMul(tf.transpose(xs), dy)];
    },
  };
}) as unknown as CustomGradFn);

/** x [m, k] times w [k, n], with a backward pass that stays on the fast matmul. */
export function matMul(x: tf.Tensor2D, w: tf.Tensor2D): tf.Tensor2D {
  return fastMatMul(x, w) as tf.Tensor2D;
}

/** x w + b with the fast matmul. */
export function dense(x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D): tf.Tensor2D {
  return tf.add(matMul(x, w), b);
}

/** A trainable variable holding `init`'s values; `init` itself is disposed (the variable keeps the data). */
export function variableFrom(init: tf.Tensor, name: string): tf.Variable {
  const v = tf.variable(init, true, name);
  init.dispose();
  return v;
}
