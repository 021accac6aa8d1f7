/**
 * Simple interference detectors on raw-unit windows (dBm, dB), the yardsticks of
 * the unseen-cell evaluation (scripts/experiments/kpi-unseen.ts):
 *  - a threshold on the last step's SINR (interference = SINR below it);
 *  - logistic regression on a few summary features per KPI: the last value, and the
 *    mean and standard deviation of the last SUMMARY_STEPS steps.
 * Both are fitted on training windows only.
 */
import { Matrix, solve } from 'ml-matrix';
import type { WindowSet } from '../../src/datasets/kpi/windows.js';

/** Steps summarised by the logistic regression's mean and std features. */
export const SUMMARY_STEPS = 10;
const SINR = 2;

/** [count, 3 * F] features of each window: last value, mean and std of the last `steps` steps, per KPI. */
export function summaryFeatures(ws: WindowSet, steps = SUMMARY_STEPS): number[][] {
  const { window: T, features: F } = ws;
  const s = Math.min(steps, T);
  return Array.from({ length: ws.count }, (_, w) => {
    const out: number[] = [];
    for (let j = 0; j < F; j++) {
      let sum = 0, sq = 0;
      for (let t = T - s; t < T; t++) {
        const v = ws.x[(w * T + t) * F + j];
        sum += v;
        sq += v * v;
      }
      const mean = sum / s;
      out.push(ws.x[(w * T + T - 1) * F + j], mean, Math.sqrt(Math.max(0, sq / s - mean * mean)));
    }
    return out;
  });
}

/** Balanced accuracy of 0/1 predictions (the recall of the one class present when the other is absent). */
export function balancedAccuracy(pred: ArrayLike<number>, labels: ArrayLike<number>): number {
  let tp = 0, tn = 0, pos = 0;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] === 1) {
      pos++;
      if (pred[i] === 1) tp++;
    } else if (pred[i] === 0) tn++;
  }
  const neg = labels.length - pos;
  if (pos === 0) return tn / neg;
  if (neg === 0) return tp / pos;
  return (tp / pos + tn / neg) / 2;
}

/** The last-step SINR threshold (dB) with the best balanced accuracy on `ws` (raw units). */
export function fitSinrThreshold(ws: WindowSet): number {
  const sinr = Array.from({ length: ws.count }, (_, w) => ws.last[w * ws.features + SINR]);
  const candidates = [...new Set(sinr)].sort((a, b) => a - b);
  let best = { t: candidates[0], score: -1 };
  // Predict interference when SINR < t; t halfway between consecutive distinct values.
  for (let k = 1; k < candidates.length; k++) {
    const t = (candidates[k - 1] + candidates[k]) / 2;
    const score = balancedAccuracy(sinr.map((v) => (v < t ? 1 : 0)), ws.label);
    if (score > best.score) best = { t, score };
  }
  return best.t;
}

/** P(interference) = 1 when the last step's SINR is below `threshold`, else 0. */
export function sinrThresholdProbabilities(ws: WindowSet, threshold: number): Float32Array {
  return Float32Array.from({ length: ws.count }, (_, w) => (ws.last[w * ws.features + SINR] < threshold ? 1 : 0));
}

export interface LogisticModel {
  /** Feature standardisation fitted on the training features. */
  mean: number[];
  std: number[];
  /** Intercept first, then one weight per standardised feature. */
  weights: number[];
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/**
 * L2-regularised logistic regression (the intercept is not penalised) fitted by
 * Newton's method on standardised features; `l2` is the penalty per sample.
 */
export function fitLogistic(x: number[][], y: ArrayLike<number>, l2 = 1e-3, iterations = 50): LogisticModel {
  const n = x.length;
  if (n === 0) throw new Error('logistic regression needs at least one sample');
  const d = x[0].length;
  const mean = Array.from({ length: d }, (_, j) => x.reduce((a, r) => a + r[j], 0) / n);
  const std = mean.map((m, j) => Math.sqrt(x.reduce((a, r) => a + (r[j] - m) ** 2, 0) / n) || 1);
  const z = x.map((r) => [1, ...r.map((v, j) => (v - mean[j]) / std[j])]);
  let w = new Array<number>(d + 1).fill(0);
  for (let it = 0; it < iterations; it++) {
    const grad = new Array<number>(d + 1).fill(0);
    const hess = Matrix.zeros(d + 1, d + 1);
    for (let i = 0; i < n; i++) {
      const p = sigmoid(z[i].reduce((a, v, j) => a + v * w[j], 0));
      const s = Math.max(p * (1 - p), 1e-10);
      for (let a = 0; a <= d; a++) {
        grad[a] += (p - y[i]) * z[i][a];
        for (let b = a; b <= d; b++) hess.set(a, b, hess.get(a, b) + s * z[i][a] * z[i][b]);
      }
    }
    for (let a = 0; a <= d; a++) {
      if (a > 0) {
        grad[a] += n * l2 * w[a];
        hess.set(a, a, hess.get(a, a) + n * l2);
      }
      for (let b = 0; b < a; b++) hess.set(a, b, hess.get(b, a));
    }
    const step = solve(hess, Matrix.columnVector(grad)).getColumn(0);
    w = w.map((v, j) => v - step[j]);
    if (Math.max(...step.map(Math.abs)) < 1e-9) break;
  }
  return { mean, std, weights: w };
}

/** P(class 1) of each feature row. */
export function logisticProbabilities(m: LogisticModel, x: number[][]): Float32Array {
  return Float32Array.from(x, (r) => sigmoid(r.reduce((a, v, j) => a + ((v - m.mean[j]) / m.std[j]) * m.weights[j + 1], m.weights[0])));
}
