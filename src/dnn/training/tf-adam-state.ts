/**
 * Checkpointing tf.train.adam: its moments and bias-correction powers, read and written
 * synchronously (its own getWeights/setWeights are async) and exactly (setWeights
 * recomputes the powers with pow(), which need not equal the products accumulated step by
 * step, so a resumed run would drift).
 */
import { tf } from '../engine.js';
import type { WeightValues } from './weights.js';

/** The fields of tfjs's AdamOptimizer that hold its state (public at runtime). */
interface AdamFields {
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: Array<{ originalName: string; variable: tf.Variable }>;
  accumulatedSecondMoment: Array<{ originalName: string; variable: tf.Variable }>;
}

const fields = (opt: tf.AdamOptimizer) => opt as unknown as AdamFields;

/** The optimiser's state as tensors named `<prefix>.m/<i>`, `<prefix>.v/<i>` (i: position in its variable list) and `<prefix>.beta`. */
export function adamTensors(opt: tf.AdamOptimizer, prefix: string): Record<string, tf.Tensor> {
  const f = fields(opt);
  const out: Record<string, tf.Tensor> = {};
  f.accumulatedFirstMoment.forEach((m, i) => (out[`${prefix}.m/${i}`] = m.variable));
  f.accumulatedSecondMoment.forEach((v, i) => (out[`${prefix}.v/${i}`] = v.variable));
  out[`${prefix}.beta1`] = f.accBeta1;
  out[`${prefix}.beta2`] = f.accBeta2;
  return out;
}

/** Puts the state saved by adamTensors into a fresh optimiser of `vars` (in the same order). */
export function restoreAdam(opt: tf.AdamOptimizer, vars: tf.Variable[], values: WeightValues, prefix: string): void {
  const f = fields(opt);
  const beta1 = values[`${prefix}.beta1`];
  const beta2 = values[`${prefix}.beta2`];
  // Saved before the optimiser's first update: a fresh optimiser is that state.
  if (!values[`${prefix}.m/0`]) return;
  if (!beta1 || !beta2) throw new Error(`checkpoint lacks the optimiser's bias-correction powers '${prefix}.beta1/2'`);
  const slot = (kind: 'm' | 'v', v: tf.Variable, i: number) => {
    const saved = values[`${prefix}.${kind}/${i}`];
    if (!saved) throw new Error(`checkpoint lacks optimiser moment '${prefix}.${kind}/${i}'`);
    return { originalName: `${v.name}/${kind}`, variable: tf.tidy(() => tf.variable(tf.tensor(saved, v.shape), false)) };
  };
  tf.tidy(() => {
    f.accBeta1.assign(tf.scalar(beta1[0]));
    f.accBeta2.assign(tf.scalar(beta2[0]));
  });
  f.accumulatedFirstMoment = vars.map((v, i) => slot('m', v, i));
  f.accumulatedSecondMoment = vars.map((v, i) => slot('v', v, i));
}
