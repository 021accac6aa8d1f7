/** Copies of variable values, to keep the best weights and to save and restore checkpoints. */
import { tf } from '../engine.js';

export type WeightValues = Record<string, Float32Array>;

export function snapshotWeights(vars: Record<string, tf.Variable>): WeightValues {
  return Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, v.dataSync().slice() as Float32Array]));
}

export function restoreWeights(vars: Record<string, tf.Variable>, values: WeightValues): void {
  for (const [k, v] of Object.entries(vars)) {
    const src = values[k];
    if (!src) throw new Error(`checkpoint lacks weight '${k}'`);
    v.assign(tf.tensor(src, v.shape));
  }
}

/** The entries of `values` named `prefix/<name>`, by name. */
export function withPrefix(values: WeightValues, prefix: string): WeightValues {
  const start = `${prefix}/`;
  return Object.fromEntries(Object.entries(values).filter(([k]) => k.startsWith(start)).map(([k, v]) => [k.slice(start.length), v]));
}

/** `tensors` renamed `prefix/<name>`, for saving several groups in one checkpoint. */
export function prefixed<T extends tf.Tensor>(prefix: string, tensors: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(tensors).map(([k, t]) => [`${prefix}/${k}`, t]));
}

/** A list of variables as a record keyed by position ('0', '1', ...): tfjs names differ between processes. */
export function byPosition(vars: tf.Variable[]): Record<string, tf.Variable> {
  return Object.fromEntries(vars.map((v, i) => [String(i), v]));
}
