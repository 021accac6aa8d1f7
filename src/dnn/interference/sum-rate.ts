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

/**
 * Sum rate per sample and head [T, B, M] for the powers of M heads p [T, B, M maxK] (head h
 * at [h maxK, (h + 1) maxK)), as sumRateTensor computes it for one.
 */
export function headSumRates(p: tf.Tensor3D, direct: tf.Tensor3D, cross: tf.Tensor4D, noisePowerW: number, heads: number): tf.Tensor3D {
  const [T, B, width] = p.shape;
  const maxK = width / heads;
  const ph = tf.reshape(p, [T * B, heads, maxK]) as tf.Tensor3D;
  // interference[s, h, k] = sum_j p[s, h, j] cross[s, k, j]
  const interference = tf.matMul(ph, tf.reshape(cross, [T * B, maxK, maxK]) as tf.Tensor3D, false, true);
  const signal = tf.mul(tf.reshape(direct, [T * B, 1, maxK]), ph);
  const rate = tf.div(tf.sum(tf.log1p(tf.div(signal, tf.add(interference, noisePowerW))), 2), Math.LN2);
  return tf.reshape(rate, [T, B, heads]) as tf.Tensor3D;
}
