/**
 * The multi-task training loss of the allocation trainer (eq. 16 with beta_i = 1/K):
 *  - fdma-delay (supervised): MSE of the powers (units: see TrainOptions.fdmaLoss),
 *    optionally + delayWeight * mean relative delay gap (f0(P) - f0*) / f0*;
 *  - sum-capacity (unsupervised, primal-dual): -mean log2(1 + sum g P)
 *    + lambda_i (mean sum P - budget_i), + logitPenalty * mean squared logit.
 * The trainer combines the task losses with its weighting (src/dnn/training/weighting.ts).
 * Uncertainty weighting and GradNorm need positive task losses, so for them (`positive`)
 * each sum-capacity loss is shifted by a constant, the mean full-power capacity
 * log2(1 + Pmax sum g) of its training split (an upper bound of any capacity): the loss
 * becomes the capacity shortfall from that bound, with the same gradient.
 */
import { tf } from '../engine.js';
import { sumCapacityBits } from '../../solvers/objectives.js';
import type { BatchTensors } from './batches.js';
import type { AllocationData } from './data.js';
import type { AllocationNetwork } from './network.js';
import { taskBudget } from './tasks.js';

export interface LossOptions {
  fdmaLoss: 'share' | 'ptot';
  delayWeight: number;
  logitPenalty: number;
  /** Shift the sum-capacity losses to be positive (for uncertainty weighting and GradNorm). */
  positive?: boolean;
}

/** Mean over the split of log2(1 + Pmax sum g): the capacity at full power on every user. */
function fullPowerCapacity(gains: Float64Array, n: number, maxPowerW: number): number {
  const count = gains.length / n;
  const full = new Float64Array(n).fill(maxPowerW);
  let sum = 0;
  for (let s = 0; s < count; s++) sum += sumCapacityBits(gains.subarray(s * n, (s + 1) * n), full);
  return sum / Math.max(1, count);
}

export class AllocationLoss {
  /** Sum-capacity budget per task (0 for fdma-delay). */
  readonly budgets: number[];
  private readonly budgetT: tf.Tensor1D;
  private readonly sumMask: tf.Tensor1D;
  private readonly fdmaMask: tf.Tensor1D;
  private readonly invScale: tf.Tensor3D;
  private readonly invN: tf.Tensor2D;
  private readonly packetSeconds: number;
  /** Per-task constant added to the task loss (positive losses; undefined: none). */
  private readonly offsetT?: tf.Tensor1D;

  constructor(
    private readonly net: AllocationNetwork,
    data: AllocationData,
    private readonly o: LossOptions,
  ) {
    this.budgets = data.tasks.map((t) => (t.problem === 'sum-capacity' ? taskBudget(t, data.params) : 0));
    const isSum = data.tasks.map((t) => t.problem === 'sum-capacity');
    this.packetSeconds = data.params.fdmaDelay.packetBits / data.params.fdmaDelay.bandwidthHz;
    this.budgetT = tf.tensor1d(this.budgets);
    this.sumMask = tf.tensor1d(isSum.map((s) => (s ? 1 : 0)));
    this.fdmaMask = tf.tensor1d(isSum.map((s) => (s ? 0 : 1)));
    // fdma-delay MSE in units of the equal share Ptot/N, averaged over users: every size
    // gets a loss of similar magnitude, comparable with the capacity term.
    this.invScale = tf.tensor3d(data.tasks.map((t) => (o.fdmaLoss === 'share' ? t.n : 1) / data.params.fdmaDelay.totalPowerW), [data.tasks.length, 1, 1]);
    this.invN = tf.tensor2d(data.tasks.map((t) => 1 / t.n), [data.tasks.length, 1]);
    if (o.positive) {
      const pmax = data.params.sumCapacity.maxPowerW;
      this.offsetT = tf.tensor1d(data.tasks.map((t, k) => (isSum[k] ? fullPowerCapacity(data.train[k].gains, t.n, pmax) : 0)));
    }
  }

  /** The task losses [K] and the per-task mean sum power [K]. */
  compute(batch: BatchTensors, lambdaT: tf.Tensor1D, soft?: tf.Tensor3D[]): { perTask: tf.Tensor1D; meanPower: tf.Tensor1D } {
    const { net, o } = this;
    const z = net.logits(batch.x, undefined, soft);
    const p = net.powers(z);
    const active = net.activeOut;
    // Supervised MSE on powers scaled by Ptot, summed over users, averaged over the batch.
    const sq = tf.sum(tf.mul(tf.square(tf.mul(tf.sub(p, batch.label), this.invScale)), active), 2);
    const mse = tf.mean(o.fdmaLoss === 'share' ? tf.mul(sq, this.invN) : sq, 1);
    let fdma = mse;
    if (o.delayWeight > 0) {
      const rate = tf.div(tf.log1p(tf.mul(batch.gains, p)), Math.LN2);
      // Floor the rate: a float32 softmax can underflow to P = 0 (infinite delay).
      const perBand = tf.mul(tf.div(this.packetSeconds, tf.maximum(tf.add(rate, tf.sub(1, active)), 1e-3)), active);
      const delay = tf.mul(tf.sum(perBand, 2), this.invN);
      const gap = tf.mean(tf.sub(tf.div(delay, batch.optDelay), 1), 1);
      fdma = tf.add(mse, tf.mul(o.delayWeight, gap));
    }
    const snr = tf.sum(tf.mul(batch.gains, p), 2);
    const cap = tf.mean(tf.div(tf.log1p(snr), Math.LN2), 1);
    const meanPower = tf.mean(tf.sum(tf.mul(p, active), 2), 1) as tf.Tensor1D;
    let sumLoss = tf.add(tf.neg(cap), tf.mul(lambdaT, tf.sub(meanPower, this.budgetT)));
    if (o.logitPenalty > 0) {
      // Keeps the sigmoid out of float32 saturation (zero gradient, a stuck allocation).
      const zz = tf.mean(tf.div(tf.sum(tf.mul(tf.square(z), active), 2), tf.sum(active, 2)), 1);
      sumLoss = tf.add(sumLoss, tf.mul(o.logitPenalty, zz));
    }
    const perTask = tf.add(tf.mul(this.fdmaMask, fdma), tf.mul(this.sumMask, sumLoss)) as tf.Tensor1D;
    return { perTask: this.offsetT ? tf.add(perTask, this.offsetT) : perTask, meanPower };
  }

  dispose(): void {
    tf.dispose([this.budgetT, this.sumMask, this.fdmaMask, this.invScale, this.invN, ...(this.offsetT ? [this.offsetT] : [])]);
  }
}
