/**
 * Test metrics of the KPI models. Every loss and error is averaged per SAMPLE over
 * the whole split (the authors average per-batch means of unequal batches).
 *  - classification (positive class = interference): accuracy, balanced accuracy
 *    (mean of the two recalls), F1, ROC-AUC (Mann-Whitney, ties counted 1/2), the
 *    split's majority-class accuracy, confusion matrix [[tn, fp], [fn, tp]];
 *  - regression per KPI: MSE on the scaled data and RMSE in physical units (dBm, dB:
 *    each window's error times its CSV's scaler range), for the model and for the
 *    persistence forecast (next = last observed value).
 */
import { KPI_KEYS, type KpiKey } from '../../datasets/kpi/fcciq.js';
import type { WindowSet } from '../../datasets/kpi/windows.js';

export type PerKpi = Record<KpiKey, number>;

export interface ClassificationMetrics {
  accuracy: number;
  balancedAccuracy: number;
  f1: number;
  auc: number;
  majorityAccuracy: number;
  confusion: [[number, number], [number, number]];
  crossEntropy: number;
}

export interface RegressionMetrics {
  mse: PerKpi;
  rmsePhysical: PerKpi;
  persistenceMse: PerKpi;
  persistenceRmsePhysical: PerKpi;
  /** Mean of the three scaled MSEs (the paper's "Reg. Loss"). */
  regLoss: number;
  persistenceRegLoss: number;
}

export interface KpiTestMetrics extends ClassificationMetrics, RegressionMetrics {
  /** regLoss + crossEntropy, per sample (the paper's "Total Loss", eq. 4). */
  totalLoss: number;
  count: number;
}

/** Area under the ROC curve of scores for positives vs negatives (NaN if one class is absent). */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const n = labels.length;
  const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let pos = 0;
  let rankSumPos = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && scores[idx[j + 1]] === scores[idx[i]]) j++;
    const avgRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) if (labels[idx[k]] === 1) {
      pos++;
      rankSumPos += avgRank;
    }
    i = j + 1;
  }
  const neg = n - pos;
  if (pos === 0 || neg === 0) return NaN;
  return (rankSumPos - (pos * (pos + 1)) / 2) / (pos * neg);
}

/** Classification metrics from P(interference) and 0/1 labels; predicted class = p >= 0.5. */
/**
 * Expected calibration error: predictions binned by probability into `bins` equal-width bins,
 * the |mean probability - observed frequency| of each bin weighted by its share of windows.
 */
export function expectedCalibrationError(prob: ArrayLike<number>, labels: ArrayLike<number>, bins = 10): number {
  if (prob.length === 0 || prob.length !== labels.length) throw new Error('expectedCalibrationError: need as many labels as probabilities, at least one');
  const count = new Float64Array(bins);
  const probSum = new Float64Array(bins);
  const positives = new Float64Array(bins);
  for (let i = 0; i < prob.length; i++) {
    const b = Math.min(bins - 1, Math.floor(prob[i] * bins));
    count[b]++;
    probSum[b] += prob[i];
    positives[b] += labels[i];
  }
  let ece = 0;
  for (let b = 0; b < bins; b++) if (count[b] > 0) ece += (count[b] / prob.length) * Math.abs(probSum[b] / count[b] - positives[b] / count[b]);
  return ece;
}

export function classificationMetrics(prob: ArrayLike<number>, labels: ArrayLike<number>): ClassificationMetrics {
  let tp = 0, tn = 0, fp = 0, fn = 0, ce = 0;
  const n = labels.length;
  for (let i = 0; i < n; i++) {
    const pred = prob[i] >= 0.5 ? 1 : 0;
    const y = labels[i];
    if (pred === 1 && y === 1) tp++;
    else if (pred === 0 && y === 0) tn++;
    else if (pred === 1) fp++;
    else fn++;
    const p = Math.min(Math.max(y === 1 ? prob[i] : 1 - prob[i], 1e-7), 1);
    ce -= Math.log(p);
  }
  const pos = tp + fn;
  const neg = tn + fp;
  const tpr = pos > 0 ? tp / pos : NaN;
  const tnr = neg > 0 ? tn / neg : NaN;
  const balancedAccuracy = pos > 0 && neg > 0 ? (tpr + tnr) / 2 : pos > 0 ? tpr : tnr;
  const f1 = 2 * tp + fp + fn > 0 ? (2 * tp) / (2 * tp + fp + fn) : 0;
  return {
    accuracy: (tp + tn) / n,
    balancedAccuracy,
    f1,
    auc: rocAuc(prob, labels),
    majorityAccuracy: Math.max(pos, neg) / n,
    confusion: [[tn, fp], [fn, tp]],
    crossEntropy: ce / n,
  };
}

/** Regression metrics of predictions `reg` [N, 3] (scaled) on window set `ws`. */
export function regressionMetrics(reg: ArrayLike<number>, ws: WindowSet): RegressionMetrics {
  const n = ws.count;
  const F = ws.features;
  const se = [0, 0, 0], sp = [0, 0, 0], pe = [0, 0, 0], pp = [0, 0, 0];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < F; j++) {
      const y = ws.y[i * F + j];
      const r = ws.range[i * F + j];
      const e = reg[i * F + j] - y;
      const p = ws.last[i * F + j] - y;
      se[j] += e * e;
      sp[j] += e * e * r * r;
      pe[j] += p * p;
      pp[j] += p * p * r * r;
    }
  }
  const per = (a: number[], f: (v: number) => number) => Object.fromEntries(KPI_KEYS.map((k, j) => [k, f(a[j])])) as PerKpi;
  const mse = per(se, (v) => v / n);
  const persistenceMse = per(pe, (v) => v / n);
  return {
    mse,
    rmsePhysical: per(sp, (v) => Math.sqrt(v / n)),
    persistenceMse,
    persistenceRmsePhysical: per(pp, (v) => Math.sqrt(v / n)),
    regLoss: (mse.rsrp + mse.rsrq + mse.sinr) / 3,
    persistenceRegLoss: (persistenceMse.rsrp + persistenceMse.rsrq + persistenceMse.sinr) / 3,
  };
}

export function testMetrics(reg: ArrayLike<number>, prob: ArrayLike<number>, ws: WindowSet): KpiTestMetrics {
  const c = classificationMetrics(prob, ws.label);
  const r = regressionMetrics(reg, ws);
  return { ...c, ...r, totalLoss: r.regLoss + c.crossEntropy, count: ws.count };
}

/** Two-sided 97.5% Student-t quantiles for 1..30 degrees of freedom. */
const T975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042];

/** Mean and half-width of the 95% t-interval of `xs` (half-width NaN for one value). */
export function meanCi(xs: number[]): { mean: number; ci95: number; n: number } {
  const n = xs.length;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  if (n < 2) return { mean, ci95: NaN, n };
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
  const t = n - 1 <= 30 ? T975[n - 2] : 1.96;
  return { mean, ci95: (t * sd) / Math.sqrt(n), n };
}

export interface FileErrors {
  file: string;
  windows: number;
  positives: number;
  negatives: number;
  /** Interference predicted (p >= 0.5), none labelled. */
  falseAlarms: number;
  /** Interference labelled, not predicted. */
  misses: number;
}

/** Classification errors of P(interference) `prob` on `ws`, per source file (`files[ws.source[i]]`). */
export function errorsByFile(prob: ArrayLike<number>, ws: WindowSet, files: string[]): FileErrors[] {
  const out = files.map((file) => ({ file, windows: 0, positives: 0, negatives: 0, falseAlarms: 0, misses: 0 }));
  for (let i = 0; i < ws.count; i++) {
    const row = out[ws.source[i]];
    const predicted = prob[i] >= 0.5 ? 1 : 0;
    row.windows++;
    if (ws.label[i] === 1) {
      row.positives++;
      if (predicted === 0) row.misses++;
    } else {
      row.negatives++;
      if (predicted === 1) row.falseAlarms++;
    }
  }
  return out;
}
