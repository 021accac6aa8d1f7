/**
 * STL: single-task learning baseline (paper Fig. 1). Four separate LSTMs, one per task,
 * each with its own head Linear(H, H/2)-ReLU-Linear(H/2, out). No parameter sharing.
 * Options: hidden H (64), dropout (0.3, on each LSTM's output), residual (true).
 */
import { tf } from '../engine.js';
import {
  ParamStore, arMacs, makeAr, TASKS, applyTower, assemble, dropout, lstmMacs, makeTowers, runLstm, towerMacs,
  type ForwardContext, type KpiBatch, type KpiModel, type KpiModelConfig, type KpiOutputs, type Linear, type LstmParams, type Tower,
} from './base.js';

export class StlModel implements KpiModel {
  readonly params: ParamStore;
  private readonly ar?: Linear;
  private readonly lstms: LstmParams[];
  private readonly towers: Tower[];

  constructor(readonly config: KpiModelConfig) {
    const { hidden: H, features: F } = config;
    this.params = new ParamStore(config.seed);
    this.lstms = TASKS.map((t) => this.params.lstm(`lstm.${t}`, F, H));
    this.towers = makeTowers(this.params, 'head', H, config.residual);
    this.ar = makeAr(this.params, F, config.residual);
  }

  forward(batch: KpiBatch, ctx: ForwardContext): KpiOutputs {
    const feats = this.lstms.map((p) => runLstm(p, batch.x, batch.steps, batch.batch).last);
    const heads = feats.map((h, k) => applyTower(ctx, this.towers[k], dropout(ctx, h, this.config.dropout), 0));
    return assemble(heads, batch, this.config.residual, this.ar);
  }

  macs(): number {
    const { hidden: H, features: F, context: T } = this.config;
    return TASKS.length * lstmMacs(F, H, T) + towerMacs(H) + arMacs(F, this.config.residual);
  }

  sharedVariables(): tf.Variable[] {
    // No shared parameters: each task's gradient norm is measured on its own LSTM.
    return this.lstms.map((p) => p.wh);
  }
}
