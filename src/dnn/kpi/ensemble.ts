/**
 * An ensemble of KPI models behaving as ONE KpiModel: its interference probability is the
 * mean of the members' probabilities and its next-step forecast the mean of theirs. Members
 * may mix architectures, seeds, hidden sizes and contexts; they share the window length, the
 * input features and the input scaling (one manifest, one set of scalers). Because it is a
 * KpiModel, everything built on that interface (save/load, evaluation, the predictor on tfjs
 * or ONNX Runtime, the server) takes it unchanged.
 *
 * Its logits are log(mean of the members' softmax): softmax of them gives back the mean
 * probabilities exactly. Members are trained (and fine-tuned) one by one, never through the
 * average.
 */
import { tf } from '../engine.js';
import { ParamStore, type ForwardContext, type KpiBatch, type KpiModel, type KpiModelConfig, type KpiOutputs } from './base.js';

/** The `arch` an ensemble records in its config and manifest. */
export const ENSEMBLE_ARCH = 'ensemble';

/** Saved weight name of member `i`'s parameter `name`. */
export const memberWeightName = (i: number, name: string): string => `member${i}/${name}`;

/** The last `steps` steps of a time-major batch (a member reading a shorter context). */
function lastSteps(batch: KpiBatch, steps: number): KpiBatch {
  if (steps === batch.steps) return batch;
  const F = batch.x.shape[1];
  return { ...batch, steps, x: tf.slice(batch.x, [(batch.steps - steps) * batch.batch, 0], [steps * batch.batch, F]) };
}

export class KpiEnsemble implements KpiModel {
  readonly config: KpiModelConfig;
  readonly params: ParamStore;

  constructor(readonly members: readonly KpiModel[]) {
    if (members.length < 2) throw new Error(`an ensemble needs at least 2 members, got ${members.length}`);
    const [first] = members;
    for (const [i, m] of members.entries()) {
      if (m instanceof KpiEnsemble) throw new Error(`ensemble member ${i} is itself an ensemble`);
      if (m.config.window !== first.config.window) throw new Error(`ensemble member ${i} has window ${m.config.window}, member 0 has ${first.config.window}`);
      if (m.config.features !== first.config.features) throw new Error(`ensemble member ${i} has ${m.config.features} features, member 0 has ${first.config.features}`);
    }
    this.config = {
      arch: ENSEMBLE_ARCH,
      hidden: Math.max(...members.map((m) => m.config.hidden)),
      window: first.config.window,
      context: Math.max(...members.map((m) => m.config.context)),
      features: first.config.features,
      dropout: first.config.dropout,
      residual: members.every((m) => m.config.residual),
      seed: first.config.seed,
    };
    // The members' own variables under prefixed names: saving the ensemble saves every member.
    this.params = new ParamStore(first.config.seed);
    members.forEach((m, i) => {
      for (const [name, v] of Object.entries(m.params.vars)) this.params.vars[memberWeightName(i, name)] = v;
    });
  }

  forward(batch: KpiBatch, ctx: ForwardContext): KpiOutputs {
    const outs = this.members.map((m) => m.forward(lastSteps(batch, m.config.context), ctx));
    const reg = tf.div(tf.addN(outs.map((o) => o.reg)), this.members.length) as tf.Tensor2D;
    const prob = tf.div(tf.addN(outs.map((o) => tf.softmax(o.logits))), this.members.length);
    return { reg, logits: tf.log(prob) as tf.Tensor2D };
  }

  macs(): number {
    return this.members.reduce((s, m) => s + m.macs(), 0);
  }

  sharedVariables(): tf.Variable[] {
    return this.members.flatMap((m) => m.sharedVariables());
  }
}
