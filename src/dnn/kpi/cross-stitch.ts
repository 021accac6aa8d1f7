/**
 * Cross-stitch network (Misra et al., CVPR 2016; paper eq. 1 and Fig. 2). Four
 * task LSTMs; two stacked cross-stitch units x~_i = sum_j alpha_ij x_j (4x4 alpha,
 * initialised to the identity) with dropout between; linear heads Linear(H, out).
 * A unit is one [4,4]x[4, B*H] matmul on the stacked task features.
 * Options: hidden H (64), dropout (0.3), residual (true).
 */
import { tf } from '../engine.js';
import { matMul } from '../ops.js';
import {
  ParamStore, arMacs, makeAr, TASKS, assemble, dropout, linear, linearHeadMacs, lstmMacs, makeLinearHeads, runLstm,
  type ForwardContext, type KpiBatch, type KpiModel, type KpiModelConfig, type KpiOutputs, type Linear, type LstmParams,
} from './base.js';

export const CROSS_STITCH_UNITS = 2;

export class CrossStitchModel implements KpiModel {
  readonly params: ParamStore;
  private readonly ar?: Linear;
  private readonly lstms: LstmParams[];
  private readonly alphas: tf.Variable<tf.Rank.R2>[];
  private readonly heads: Linear[];

  constructor(readonly config: KpiModelConfig) {
    const { hidden: H, features: F } = config;
    this.params = new ParamStore(config.seed);
    this.lstms = TASKS.map((t) => this.params.lstm(`lstm.${t}`, F, H));
    this.alphas = Array.from({ length: CROSS_STITCH_UNITS }, (_, u) => this.params.tensor(`stitch.${u}`, tf.eye(TASKS.length)) as tf.Variable<tf.Rank.R2>);
    this.heads = makeLinearHeads(this.params, 'head', H, config.residual);
    this.ar = makeAr(this.params, F, config.residual);
  }

  forward(batch: KpiBatch, ctx: ForwardContext): KpiOutputs {
    const { hidden: H } = this.config;
    const B = batch.batch;
    const K = TASKS.length;
    const feats = this.lstms.map((p) => runLstm(p, batch.x, batch.steps, B).last);
    let s = tf.reshape(tf.stack(feats), [K, B * H]) as tf.Tensor2D;
    this.alphas.forEach((a, u) => {
      s = matMul(a, s);
      if (u < this.alphas.length - 1) s = dropout(ctx, s, this.config.dropout);
    });
    const out = tf.unstack(tf.reshape(s, [K, B, H])) as tf.Tensor2D[];
    const heads = this.heads.map((l, k) => linear(l, dropout(ctx, out[k], this.config.dropout)));
    return assemble(heads, batch, this.config.residual, this.ar);
  }

  macs(): number {
    const { hidden: H, features: F, context: T } = this.config;
    const K = TASKS.length;
    return K * lstmMacs(F, H, T) + CROSS_STITCH_UNITS * K * K * H + linearHeadMacs(H) + arMacs(F, this.config.residual);
  }

  sharedVariables(): tf.Variable[] {
    return [...this.alphas];
  }
}
