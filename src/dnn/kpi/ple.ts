/**
 * PLE: progressive layered extraction (Tang et al., RecSys 2020; paper Fig. 3).
 * One shared LSTM, then `layers` (2) extraction layers. Each layer has 3 shared
 * experts and 2 experts per task, Linear(H, H)-ReLU-Dropout. Task k's gate
 * Linear(H, 32)-ReLU-Linear(32, 5)-softmax mixes the shared experts and its own;
 * a shared gate over all 11 experts feeds the next layer's shared experts (the last
 * layer has none: in the authors' code it is computed but unused, so gets no gradient).
 * Towers Linear(H, H/2)-ReLU-Dropout-Linear(H/2, out).
 * Experts reading the same input are computed as one wide matmul.
 * Options: hidden H (64), dropout (0.3), residual (true).
 */
import { tf } from '../engine.js';
import {
  ParamStore, arMacs, makeAr, TASKS, applyTower, assemble, dropout, linear, linearMacs, lstmMacs, makeTowers, runLstm, towerMacs,
  type ForwardContext, type KpiBatch, type KpiModel, type KpiModelConfig, type KpiOutputs, type Linear, type LstmParams, type Tower,
} from './base.js';

export const PLE_LAYERS = 2;
export const PLE_SHARED_EXPERTS = 3;
export const PLE_TASK_EXPERTS = 2;
const GATE_HIDDEN = 32;

interface Gate {
  l1: Linear;
  l2: Linear;
}

interface ExtractionLayer {
  shared: Linear; // [H, S*H]
  task: Linear[]; // per task [H, P*H]
  taskGates: Gate[];
  sharedGate?: Gate;
}

export class PleModel implements KpiModel {
  readonly params: ParamStore;
  private readonly ar?: Linear;
  private readonly lstm: LstmParams;
  private readonly layers: ExtractionLayer[];
  private readonly towers: Tower[];

  constructor(readonly config: KpiModelConfig) {
    const { hidden: H, features: F } = config;
    const S = PLE_SHARED_EXPERTS;
    const P = PLE_TASK_EXPERTS;
    const K = TASKS.length;
    const ps = (this.params = new ParamStore(config.seed));
    this.lstm = ps.lstm('lstm', F, H);
    this.layers = Array.from({ length: PLE_LAYERS }, (_, l) => ({
      shared: ps.linear(`ple${l}.shared`, H, S * H),
      task: TASKS.map((t) => ps.linear(`ple${l}.${t}.experts`, H, P * H)),
      taskGates: TASKS.map((t) => ({ l1: ps.linear(`ple${l}.${t}.gate1`, H, GATE_HIDDEN), l2: ps.linear(`ple${l}.${t}.gate2`, GATE_HIDDEN, S + P) })),
      sharedGate: l < PLE_LAYERS - 1 ? { l1: ps.linear(`ple${l}.shared.gate1`, H, GATE_HIDDEN), l2: ps.linear(`ple${l}.shared.gate2`, GATE_HIDDEN, S + K * P) } : undefined,
    }));
    this.towers = makeTowers(ps, 'tower', H, config.residual);
    this.ar = makeAr(ps, F, config.residual);
  }

  private mix(experts: tf.Tensor2D, n: number, gate: Gate, gateIn: tf.Tensor2D, B: number): tf.Tensor2D {
    const H = this.config.hidden;
    const w = tf.softmax(linear(gate.l2, tf.relu(linear(gate.l1, gateIn)))); // [B, n]
    return tf.sum(tf.mul(tf.reshape(experts, [B, n, H]), tf.reshape(w, [B, n, 1])), 1) as tf.Tensor2D;
  }

  forward(batch: KpiBatch, ctx: ForwardContext): KpiOutputs {
    const { dropout: rate } = this.config;
    const S = PLE_SHARED_EXPERTS;
    const P = PLE_TASK_EXPERTS;
    const K = TASKS.length;
    const B = batch.batch;
    const h = runLstm(this.lstm, batch.x, batch.steps, B).last;
    let taskIn: tf.Tensor2D[] = TASKS.map(() => h);
    let sharedIn = h;
    for (const layer of this.layers) {
      const sharedEx = dropout(ctx, tf.relu(linear(layer.shared, sharedIn)), rate); // [B, S*H]
      const taskEx = layer.task.map((l, k) => dropout(ctx, tf.relu(linear(l, taskIn[k])), rate)); // [B, P*H]
      const nextTask = taskEx.map((ex, k) => this.mix(tf.concat([sharedEx, ex], 1), S + P, layer.taskGates[k], taskIn[k], B));
      if (layer.sharedGate) sharedIn = this.mix(tf.concat([sharedEx, ...taskEx], 1), S + K * P, layer.sharedGate, sharedIn, B);
      taskIn = nextTask;
    }
    const heads = this.towers.map((tw, k) => applyTower(ctx, tw, taskIn[k], rate));
    return assemble(heads, batch, this.config.residual, this.ar);
  }

  macs(): number {
    const { hidden: H, features: F, context: T } = this.config;
    const S = PLE_SHARED_EXPERTS;
    const P = PLE_TASK_EXPERTS;
    const K = TASKS.length;
    let m = lstmMacs(F, H, T) + towerMacs(H) + arMacs(F, this.config.residual);
    for (let l = 0; l < PLE_LAYERS; l++) {
      m += linearMacs(H, S * H) + K * linearMacs(H, P * H);
      m += K * (linearMacs(H, GATE_HIDDEN) + linearMacs(GATE_HIDDEN, S + P));
      if (l < PLE_LAYERS - 1) m += linearMacs(H, GATE_HIDDEN) + linearMacs(GATE_HIDDEN, S + K * P);
    }
    return m;
  }

  sharedVariables(): tf.Variable[] {
    return [this.lstm.wh];
  }
}
