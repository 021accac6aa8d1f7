/**
 * The reproduce:kpi report's ensembles: per architecture, the mean interference probability of
 * its seeds' saved test predictions, scored as one model (what `train kpi --ensemble K` with
 * those seeds would answer, src/dnn/kpi/ensemble.ts), beside the seeds' own scores.
 */
import type { TestPredictions } from './report.js';

export interface SeedEnsembleRow {
  arch: string;
  seeds: number[];
  accuracy: number;
  balancedAccuracy: number;
}

/** Accuracy and balanced accuracy (mean of the two recalls) of probabilities at the 0.5 threshold. */
function detection(prob: number[], label: number[]): { accuracy: number; balancedAccuracy: number } {
  let tp = 0, tn = 0, pos = 0;
  prob.forEach((p, i) => {
    const y = label[i];
    pos += y;
    if (p >= 0.5 && y === 1) tp++;
    if (p < 0.5 && y === 0) tn++;
  });
  const neg = label.length - pos;
  const recalls = [pos > 0 ? tp / pos : null, neg > 0 ? tn / neg : null].filter((r): r is number => r !== null);
  return { accuracy: (tp + tn) / label.length, balancedAccuracy: recalls.reduce((a, b) => a + b, 0) / recalls.length };
}

/** Per architecture with at least two seeds whose whole-test-split predictions were saved (on the same windows): their mean probability. */
export function seedMeans(runs: Array<{ arch: string; seed: number; dir: string }>, preds: Map<string, TestPredictions>): Array<{ arch: string; seeds: number[]; probability: number[]; label: number[] }> {
  const out = [];
  for (const arch of [...new Set(runs.map((r) => r.arch))]) {
    const mine = runs.filter((r) => r.arch === arch && preds.get(r.dir)?.testProb).sort((a, b) => a.seed - b.seed);
    const ps = mine.map((r) => preds.get(r.dir) as Required<TestPredictions>);
    if (ps.length < 2 || ps.some((p) => p.testProb.length !== ps[0].testProb.length)) continue;
    const probability = ps[0].testProb.map((_, i) => ps.reduce((s, p) => s + p.testProb[i], 0) / ps.length);
    out.push({ arch, seeds: mine.map((r) => r.seed), probability, label: ps[0].testLabel });
  }
  return out;
}

/** One row per architecture of seedMeans, scored at the 0.5 threshold. */
export function seedEnsembles(runs: Array<{ arch: string; seed: number; dir: string }>, preds: Map<string, TestPredictions>): SeedEnsembleRow[] {
  return seedMeans(runs, preds).map((m) => ({ arch: m.arch, seeds: m.seeds, ...detection(m.probability, m.label) }));
}
