/**
 * The goals for a cell never seen, judged on the recipe's runs in `kpi:unseen` (mean over its
 * seeds, the seeds' range beside it): with a profile, balanced accuracy >= 92% on every left-out
 * file with interference to find and <= 2% false alarms on a file with (almost) none; without
 * one, >= 85% and <= 5%; next-step RMSE at or below persistence on every KPI of every file.
 * Beside them, when measured, the upper bound: the recipe also trained on the left-out file's
 * labelled first half, which no profile (made from that half unlabelled) is expected to beat.
 */
import { KPI_KEYS, type KpiKey } from '../../src/datasets/kpi/fcciq.js';

interface ScoreLike {
  positives: number;
  balancedAccuracy: number;
  fpr: number | null;
  rmse: Record<KpiKey, number> | null;
  persistenceRmse: Record<KpiKey, number>;
}

interface RunLike {
  leftOut: string;
  withoutProfile: ScoreLike;
  withProfile: ScoreLike;
}

const TARGETS = {
  withProfile: { balanced: 0.92, fpr: 0.02 },
  withoutProfile: { balanced: 0.85, fpr: 0.05 },
} as const;

const pct = (x: number) => (100 * x).toFixed(1);
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/**
 * Markdown lines judging the goals on `runs` (the recipe's outer runs, every seed) for the files
 * `files`; a file whose scored half holds fewer than `minPositives` interference windows is judged
 * by its false alarms.
 */
export function goalLines(runs: RunLike[], files: string[], minPositives: number, short: (f: string) => string, bounds: RunLike[] = []): string[] {
  const lines = ['| Left out | judged by | without a profile | goal | with a profile | goal | KPIs at or below persistence (no profile / profile) | upper bound |', '|---|---|---|---|---|---|---|---|'];
  const verdicts: boolean[] = [];
  for (const file of files) {
    const rs = runs.filter((r) => r.leftOut === file);
    if (rs.length === 0) continue;
    const byFpr = rs[0].withoutProfile.positives < minPositives;
    const judged = (s: ScoreLike) => (byFpr ? s.fpr ?? 0 : s.balancedAccuracy);
    const spread = (values: number[]) => `${pct(mean(values))}${values.length > 1 ? ` (${pct(Math.min(...values))}-${pct(Math.max(...values))})` : ''}`;
    const cell = (mode: keyof typeof TARGETS) => {
      const values = rs.map((r) => judged(r[mode]));
      const m = mean(values);
      const met = byFpr ? m <= TARGETS[mode].fpr : m >= TARGETS[mode].balanced;
      verdicts.push(met);
      return `${spread(values)} | ${byFpr ? '<=' : '>='} ${pct(byFpr ? TARGETS[mode].fpr : TARGETS[mode].balanced)}: ${met ? 'met' : '**not met**'}`;
    };
    const atOrBelow = (mode: keyof typeof TARGETS) => {
      const ok = KPI_KEYS.filter((k) => rs.every((r) => r[mode].rmse !== null && r[mode].rmse[k] <= r[mode].persistenceRmse[k]));
      verdicts.push(ok.length === KPI_KEYS.length);
      return `${ok.length}/${KPI_KEYS.length}${ok.length < KPI_KEYS.length ? ` (not ${KPI_KEYS.filter((k) => !ok.includes(k)).join(', ')})` : ''}`;
    };
    const bound = bounds.filter((r) => r.leftOut === file).map((r) => judged(r.withoutProfile));
    lines.push(`| ${short(file)} | ${byFpr ? 'FPR %' : 'balanced accuracy %'} | ${cell('withoutProfile')} | ${cell('withProfile')} | ${atOrBelow('withoutProfile')} / ${atOrBelow('withProfile')} | ${bound.length ? spread(bound) : '-'} |`);
  }
  lines.push('', `Goals met: ${verdicts.filter(Boolean).length} of ${verdicts.length} (a KPI counts as at or below persistence when every seed is).`);
  if (bounds.length) lines.push('Upper bound: the same recipe trained also on the left-out file\'s first half with its labels (`--upper-bound`), scored on the same second half without a profile; a profile reads that half without labels.');
  return lines;
}
