/** The unsupervised training objective in tensors: the sum rate of every task's powers. */
import { tf } from '../engine.js';

/**
 * Sum rate per sample [T, B], bits/s/Hz, for powers p [T, B, maxK], direct gains
 * [T, B, maxK] and cross gains [T, B, maxK, maxK] (features.ts): interference is summed
 * from the cross gains alone, so a strong signal never cancels it in float32.
 */
export function sumRateTensor(p: tf.Tensor3D, direct: tf.Tensor3D, cross: tf.Tensor4D, noisePowerW: number): tf.Tensor2D {
  const interference = tf.sum(tf.mul(cross, tf.expandDims(p, 2)), 3);
  const sinr = tf.div(tf.mul(direct, p), tf.add(interference, noisePowerW));
  return tf.div(tf.sum(tf.log1p(sinr), 2), Math.LN2) as tf.Tensor2D;
}
