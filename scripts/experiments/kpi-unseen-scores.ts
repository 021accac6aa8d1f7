/** How `kpi:unseen` scores a model or a baseline on a left-out file's windows, and its three baselines' outputs. */
import { leaveOneOutRows, RAW_SCALER } from './kpi-leave-one-out.js';
import { rangeWindows, type FcciqFile } from '../../src/datasets/kpi/fcciq.js';
import type { WindowSet } from '../../src/datasets/kpi/windows.js';
import { fitLogistic, fitSinrThreshold, logisticProbabilities, sinrThresholdProbabilities, summaryFeatures } from './kpi-baselines.js';
import { testMetrics, type PerKpi } from '../../src/dnn/kpi/metrics.js';

/** Detection and next-step scores of one model (or baseline) on one scored window set. */
export interface Score {
  windows: number;
  positives: number;
  balancedAccuracy: number;
  tpr: number | null;
  fpr: number | null;
  /** Next-step RMSE in dBm / dB, and persistence's on the same windows (null for baselines). */
  rmse: PerKpi | null;
  persistenceRmse: PerKpi;
}

export function score(ws: WindowSet, prob: ArrayLike<number>, reg: ArrayLike<number> | null): Score {
  const m = testMetrics(reg ?? ws.last, prob, ws);
  const [[tn, fp], [fn, tp]] = m.confusion;
  return {
    windows: ws.count,
    positives: tp + fn,
    balancedAccuracy: m.balancedAccuracy,
    tpr: tp + fn > 0 ? tp / (tp + fn) : null,
    fpr: tn + fp > 0 ? fp / (tn + fp) : null,
    rmse: reg ? m.rmsePhysical : null,
    persistenceRmse: m.persistenceRmsePhysical,
  };
}

/** One baseline's per-window probabilities on a left-out file's scored windows, and its score. */
export interface BaselineOutput {
  /** The same on every file (the event metrics pool by it). */
  name: 'majority class' | 'last-step SINR threshold' | 'logistic regression';
  /** With what was fitted on this file's split (the class, the threshold). */
  label: string;
  prob: Float32Array;
  score: Score;
}

/** The three baselines of one left-out file, fitted on its split's training windows in raw units, with their outputs. */
export function baselineOutputs(files: FcciqFile[], leftOut: number, window: number): BaselineOutput[] {
  const rows = leaveOneOutRows(files.map((f) => f.labels.length), leftOut);
  const train = rangeWindows(files, rows.train, () => RAW_SCALER, window);
  const scored = rangeWindows(files, [rows.score], () => RAW_SCALER, window);
  let positives = 0;
  for (let i = 0; i < train.count; i++) positives += train.label[i];
  const majority = positives * 2 > train.count ? 1 : 0;
  const threshold = fitSinrThreshold(train);
  const logistic = fitLogistic(summaryFeatures(train), train.label);
  const output = (name: BaselineOutput['name'], label: string, prob: Float32Array): BaselineOutput => ({ name, label, prob, score: score(scored, prob, null) });
  return [
    output('majority class', `majority class (${majority})`, new Float32Array(scored.count).fill(majority)),
    output('last-step SINR threshold', `last-step SINR < ${threshold.toFixed(1)} dB`, sinrThresholdProbabilities(scored, threshold)),
    output('logistic regression', 'logistic regression (raw features)', logisticProbabilities(logistic, summaryFeatures(scored))),
  ];
}
