/**
 * The KPI recipe: how the served model (models/kpi-ple) is trained, and therefore what
 * `radio-mtl train kpi --data DIR --out M` does with no other option. PLE at H = 64 reading
 * the last 10 of 35 steps (context chosen by cross-validation inside the train split), 25
 * epochs with early stopping after 8, equal task weights, residual outputs, inputs scaled by
 * one scaler pooled over the training files (so a client's raw windows are scaled exactly as
 * in training, with or without a profile), seed 3 (the best-validation seed of three).
 * docs/kpi.md gives the measurements behind each choice;
 * a test checks the shipped model's manifest records exactly this.
 */
import type { KpiArch } from './registry.js';
import type { Weighting, WeightingSpec } from '../training/weighting.js';
import type { KpiInputs } from '../../measurements/inputs.js';

/** Windows per training step, everywhere a KPI model is trained. */
export const KPI_BATCH_SIZE = 64;

/** The optimiser of every KPI training run: Adam, lr 1e-3, coupled L2 weight decay 1e-5 (as PyTorch's Adam). */
export const KPI_OPTIMISER = { batchSize: KPI_BATCH_SIZE, lr: 1e-3, weightDecay: 1e-5 } as const;

/**
 * How the KPI trainer weights its four task losses [mse_rsrp, mse_rsrq, mse_sinr, ce]: equal is
 * the paper's eq. 4 (mean of the three MSEs + CE); GradNorm's weights start at 1 (sum 4) and
 * move every 10 steps.
 */
export const KPI_WEIGHTING: WeightingSpec = { tasks: 4, equalWeights: [1 / 3, 1 / 3, 1 / 3, 1], gradnormTotal: 4, gradnormInterval: 10 };

export const KPI_RECIPE = {
  arch: 'ple' as KpiArch,
  hidden: 64,
  window: 35,
  context: 10,
  epochs: 25,
  patience: 8,
  weighting: 'equal' as Weighting,
  ema: 0,
  inputs: 'pooled' as KpiInputs,
  levelShiftDb: 0,
  residual: true,
  seed: 3,
} as const;
