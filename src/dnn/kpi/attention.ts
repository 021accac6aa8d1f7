/**
 * Attention-based MTL (paper Fig. 5; scaled dot-product attention, Vaswani et al.,
 * NeurIPS 2017): one LSTM over the whole context keeps every step's hidden state;
 * keys and values are Linear(H, H) projections (one [H, 2H] matmul for all steps);
 * each task has a learnable query q_k, weights softmax_t(q_k . k_t / sqrt(H)) and
 * context sum_t a_kt v_t; linear heads Linear(H, out) after dropout.
 * Options: hidden H (64), dropout (0.3), residual (true).
 */
import { tf } from '../engine.js';
import { dense, matMul } from '../ops.js';
import {
  ParamStore, arMacs, makeAr, TASKS, assemble, dropout, linear, linearHeadMacs, linearMacs, lstmMacs, makeLinearHeads, runLstm,
  type ForwardContext, type KpiBatch, type KpiModel, type KpiModelConfig, type KpiOutputs, type Linear, type LstmParams,
} from './base.js';

export class AttentionModel implements KpiModel {
  readonly params: ParamStore;
  private readonly ar?: Linear;
  private readonly lstm: LstmParams;
  private readonly kv: Linear;
  private readonly queries: tf.Variable<tf.Rank.R2>;
  private readonly heads: Linear[];

  constructor(readonly config: KpiModelConfig) {
    const { hidden: H, features: F } = config;
    const ps = (this.params = new ParamStore(config.seed));
    this.lstm = ps.lstm('lstm', F, H);
    this.kv = ps.linear('attn.kv', H, 2 * H);
    this.queries = ps.uniformTensor('attn.queries', [H, TASKS.length], 1 / Math.sqrt(H)) as tf.Variable<tf.Rank.R2>;
    this.heads = makeLinearHeads(ps, 'head', H, config.residual);
    this.ar = makeAr(ps, F, config.residual);
  }

  forward(batch: KpiBatch, ctx: ForwardContext): KpiOutputs {
    const H = this.config.hidden;
    const T = batch.steps;
    const B = batch.batch;
    const K = TASKS.length;
    const hs = runLstm(this.lstm, batch.x, T, B).states; // [T*B, H], time-major
    const kv = dense(hs, this.kv.w, this.kv.b); // [T*B, 2H]
    const [k, v] = tf.split(kv, 2, 1) as tf.Tensor2D[];
    const scores = tf.mul(matMul(k, this.queries), 1 / Math.sqrt(H)); // [T*B, K]
    const a = tf.softmax(tf.transpose(tf.reshape(scores, [T, B, K]), [1, 2, 0])); // [B, K, T]
    const at = tf.reshape(tf.transpose(a, [2, 0, 1]), [T, B, K, 1]);
    const ctxv = tf.sum(tf.mul(at, tf.reshape(v, [T, B, 1, H])), 0); // [B, K, H]
    const perTask = tf.unstack(ctxv, 1) as tf.Tensor2D[];
    const heads = this.heads.map((l, i) => linear(l, dropout(ctx, perTask[i], this.config.dropout)));
    return assemble(heads, batch, this.config.residual, this.ar);
  }

  macs(): number {
    const { hidden: H, features: F, context: T } = this.config;
    const K = TASKS.length;
    return lstmMacs(F, H, T) + T * linearMacs(H, 2 * H) + 2 * K * T * H + linearHeadMacs(H) + arMacs(F, this.config.residual);
  }

  sharedVariables(): tf.Variable[] {
    return [this.lstm.wh];
  }
}
