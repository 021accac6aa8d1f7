/**
 * Hard parameter sharing (Caruana 1997; paper Fig. 6): one shared LSTM, four towers
 * Linear(H, H/2)-ReLU-Dropout-Linear(H/2, out).
 * Options: hidden H (64), dropout (0.3), residual (true).
 */
import { tf } from '../engine.js';
import {
  ParamStore, arMacs, makeAr, applyTower, assemble, lstmMacs, makeTowers, runLstm, towerMacs,
  type ForwardContext, type KpiBatch, type KpiModel, type KpiModelConfig, type KpiOutputs, type Linear, type LstmParams, type Tower,
} from './base.js';

export class HardSharingModel implements KpiModel {
  readonly params: ParamStore;
  private readonly ar?: Linear;
  private readonly lstm: LstmParams;
  private readonly towers: Tower[];

  constructor(readonly config: KpiModelConfig) {
    const { hidden: H, features: F } = config;
    this.params = new ParamStore(config.seed);
    this.lstm = this.params.lstm('lstm', F, H);
    this.towers = makeTowers(this.params, 'tower', H, config.residual);
    this.ar = makeAr(this.params, F, config.residual);
  }

  forward(batch: KpiBatch, ctx: ForwardContext): KpiOutputs {
    const h = runLstm(this.lstm, batch.x, batch.steps, batch.batch).last;
    const heads = this.towers.map((tw) => applyTower(ctx, tw, h, this.config.dropout));
    return assemble(heads, batch, this.config.residual, this.ar);
  }

  macs(): number {
    const { hidden: H, features: F, context: T } = this.config;
    return lstmMacs(F, H, T) + towerMacs(H) + arMacs(F, this.config.residual);
  }

  sharedVariables(): tf.Variable[] {
    return [this.lstm.wh];
  }
}
