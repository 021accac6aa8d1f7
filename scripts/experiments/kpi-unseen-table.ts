/** The cells and criteria of the kpi:unseen report (scripts/experiments/kpi-unseen.ts). */
import { KPI_KEYS } from '../../src/datasets/kpi/fcciq.js';
import type { Score } from './kpi-unseen-scores.js';
import type { Run } from './kpi-unseen-runs.js';

export const pct = (x: number | null): string => (x === null ? '-' : (100 * x).toFixed(1));
export const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const rmseCell = (s: Score) => KPI_KEYS.map((k) => `${s.rmse ? s.rmse[k].toFixed(2) : '-'} / ${s.persistenceRmse[k].toFixed(2)}`).join(' | ');
/** One table row: balanced accuracy, TPR, FPR, then each KPI's RMSE against persistence. */
export const row = (label: string, s: Score): string => `| ${label} | ${pct(s.balancedAccuracy)} | ${pct(s.tpr)} | ${pct(s.fpr)} | ${rmseCell(s)} |`;
/** Below this many interference windows a held-out part's balanced accuracy is noise: it is judged by its false alarms. */
export const MIN_POSITIVES = 20;
export const foldScore = (s: Score) => (s.positives >= MIN_POSITIVES ? s.balancedAccuracy : 1 - (s.fpr ?? 0));
/** Inner cross-validation criterion, fixed in advance: the fold's score without and with a profile, averaged. */
export const criterion = (r: Run): number => (foldScore(r.withoutProfile) + foldScore(r.withProfile)) / 2;
