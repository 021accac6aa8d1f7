/**
 * MMoE: multi-gate mixture of experts (Ma et al., KDD 2018; paper Fig. 4).
 * One shared LSTM; `experts` (4) experts Linear(H, H)-ReLU-Dropout computed as one
 * [H, 4H] matmul; per task a gate Linear(H, 32)-ReLU-Dropout(0.1)-Linear(32, 4)-softmax
 * on the LSTM features; towers Linear(H, H/2)-ReLU-Linear(H/2, out).
 * Options: hidden H (64), dropout (0.3), residual (true).
 */
import { tf } from '../engine.js';
import {
  ParamStore, arMacs, makeAr, TASKS, applyTower, assemble, dropout, linear, linearMacs, lstmMacs, makeTowers, runLstm, towerMacs,
  type ForwardContext, type KpiBatch, type KpiModel, type KpiModelConfig, type KpiOutputs, type Linear, type LstmParams, type Tower,
} from './base.js';

export const MMOE_EXPERTS = 4;
export const GATE_HIDDEN = 32;

export class MmoeModel implements KpiModel {
  readonly params: ParamStore;
  private readonly ar?: Linear;
  private readonly lstm: LstmParams;
  private readonly experts: Linear;
  private readonly gates: { l1: Linear; l2: Linear }[];
  private readonly towers: Tower[];

  constructor(readonly config: KpiModelConfig) {
    const { hidden: H, features: F } = config;
    const E = MMOE_EXPERTS;
    this.params = new ParamStore(config.seed);
    this.lstm = this.params.lstm('lstm', F, H);
    this.experts = this.params.linear('experts', H, E * H);
    this.gates = TASKS.map((t) => ({ l1: this.params.linear(`gate.${t}.1`, H, GATE_HIDDEN), l2: this.params.linear(`gate.${t}.2`, GATE_HIDDEN, E) }));
    this.towers = makeTowers(this.params, 'tower', H, config.residual);
    this.ar = makeAr(this.params, F, config.residual);
  }

  forward(batch: KpiBatch, ctx: ForwardContext): KpiOutputs {
    const { hidden: H, dropout: rate } = this.config;
    const E = MMOE_EXPERTS;
    const B = batch.batch;
    const h = runLstm(this.lstm, batch.x, batch.steps, B).last;
    const ex = tf.reshape(dropout(ctx, tf.relu(linear(this.experts, h)), rate), [B, E, H]);
    const heads = this.gates.map((g, k) => {
      const w = tf.softmax(linear(g.l2, dropout(ctx, tf.relu(linear(g.l1, h)), 0.1))); // [B, E]
      const mixed = tf.sum(tf.mul(ex, tf.reshape(w, [B, E, 1])), 1) as tf.Tensor2D;
      return applyTower(ctx, this.towers[k], mixed, 0);
    });
    return assemble(heads, batch, this.config.residual, this.ar);
  }

  macs(): number {
    const { hidden: H, features: F, context: T } = this.config;
    const E = MMOE_EXPERTS;
    const gates = TASKS.length * (linearMacs(H, GATE_HIDDEN) + linearMacs(GATE_HIDDEN, E));
    return lstmMacs(F, H, T) + linearMacs(H, E * H) + gates + towerMacs(H) + arMacs(F, this.config.residual);
  }

  sharedVariables(): tf.Variable[] {
    return [this.lstm.wh];
  }
}
