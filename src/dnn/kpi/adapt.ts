/**
 * Adapting a trained KPI model (single or ensemble) to one cell from that cell's labelled
 * rows (`radio-mtl train kpi --from MODEL --data DIR`): the rows of each CSV are cut
 * chronologically, the first (1 - valFraction) fine-tune, the last valFraction choose the
 * epoch (early stopping; the unadapted weights are epoch 0 and stay when no epoch beats them).
 * An ensemble's members are fine-tuned one by one, each on its own loss.
 *
 * The windows are scaled with the scaler the caller passes: the model's own serving scaler,
 * never one refitted on the new rows, so the adapted model reads the cell's raw values exactly
 * as the API's default path will scale them, and its saved scalers stay valid.
 */
import { join } from 'node:path';
import { rangeWindows, type FcciqFile } from '../../datasets/kpi/fcciq.js';
import type { MinMaxScaler } from '../../measurements/scaler.js';
import type { WindowSet } from '../../datasets/kpi/windows.js';
import type { TrainingListener } from '../training/events.js';
import type { KpiModel } from './base.js';
import { KpiEnsemble } from './ensemble.js';
import { trainKpi, validationLoss, type EpochLog, type KpiTrainResult } from './trainer.js';

/** Fine-tuning schedule, fixed before any adaptation was measured: a third of the training rate, short, early-stopped. */
export const ADAPT_DEFAULTS = { epochs: 10, patience: 3, lr: 3e-4, valFraction: 0.2, seed: 1 } as const;

export interface AdaptOptions {
  epochs?: number;
  patience?: number;
  lr?: number;
  seed?: number;
  /** Where each member's resumable checkpoints go (member-<i>/); none when absent. */
  checkpointDir?: string;
  onEvent?: TrainingListener<EpochLog>;
}

export interface AdaptResult {
  /** One fine-tuning run per member (one for a single model). */
  members: Array<Omit<KpiTrainResult, 'history'>>;
  /** Validation loss and accuracy of the whole model on the validation tail, before and after. */
  before: { loss: number; accuracy: number };
  after: { loss: number; accuracy: number };
  /** Wall seconds of fine-tuning, all members. */
  trainSeconds: number;
}

/**
 * Fine-tuning windows of labelled rows: per file, the first (1 - valFraction) of its rows train,
 * the rest validate (windows never cross the cut); scaled with `scaler`.
 */
export function adaptationWindows(files: FcciqFile[], scaler: MinMaxScaler, window: number, valFraction: number = ADAPT_DEFAULTS.valFraction): { train: WindowSet; val: WindowSet } {
  if (!(valFraction > 0 && valFraction < 1)) throw new Error(`valFraction must be in (0, 1), got ${valFraction}`);
  const cut = files.map((f) => Math.floor(f.labels.length * (1 - valFraction)));
  const train = rangeWindows(files, files.map((f, i) => ({ file: i, start: 0, end: cut[i] })), () => scaler, window);
  const val = rangeWindows(files, files.map((f, i) => ({ file: i, start: cut[i], end: f.labels.length })), () => scaler, window);
  if (train.count === 0 || val.count === 0) {
    const rows = files.map((f) => `${f.name} has ${f.labels.length}`).join(', ');
    throw new Error(`too few labelled rows to adapt: both the first ${Math.round(100 * (1 - valFraction))}% and the last ${Math.round(100 * valFraction)}% of a file need more than the window of ${window} rows (${rows})`);
  }
  return { train, val };
}

/** Fine-tunes `model` in place (every member of an ensemble) on `train`, early-stopping on `val`. */
export function adaptKpiModel(model: KpiModel, train: WindowSet, val: WindowSet, o: AdaptOptions = {}): AdaptResult {
  const score = () => {
    const v = validationLoss(model, val);
    return { loss: v.loss, accuracy: v.accuracy };
  };
  const before = score();
  const members = model instanceof KpiEnsemble ? model.members : [model];
  const results = members.map((m, i) => {
    const { history: _history, ...r } = trainKpi(m, train, val, {
      epochs: o.epochs ?? ADAPT_DEFAULTS.epochs, patience: o.patience ?? ADAPT_DEFAULTS.patience, lr: o.lr ?? ADAPT_DEFAULTS.lr,
      seed: o.seed ?? ADAPT_DEFAULTS.seed, validateStart: true, checkpointDir: o.checkpointDir && join(o.checkpointDir, `member-${i}`), onEvent: o.onEvent,
    });
    return r;
  });
  return { members: results, before, after: score(), trainSeconds: results.reduce((a, r) => a + r.trainSeconds, 0) };
}
