/**
 * Ensembles in `kpi:unseen`, scored without training them: every outer run keeps its per-window
 * probabilities and forecasts on the left-out file's second half, so an ensemble of K seeds is
 * the mean of K runs' outputs (exactly what the saved ensemble computes, src/dnn/kpi/ensemble.ts).
 * Seeds 1..N give floor(N / K) disjoint sets: independent retrainings of the ensemble.
 */
import type { WindowSet } from '../../src/datasets/kpi/windows.js';
import { score, type Score } from './kpi-unseen-scores.js';

interface RunOutputs {
  leftOut: string;
  seed: number;
  outputs?: { prob: number[]; reg: number[] };
}

/** Disjoint seed sets of size k among `seeds` (sorted, consecutive): [1..k], [k+1..2k], ... */
export function disjointSeedSets(seeds: number[], k: number): number[][] {
  const sorted = [...new Set(seeds)].sort((a, b) => a - b);
  return Array.from({ length: Math.floor(sorted.length / k) }, (_, i) => sorted.slice(i * k, (i + 1) * k));
}

/** The mean-output ensemble of the runs of `seeds` on `file`, scored on `ws`; undefined when a run or its outputs are missing. */
export function ensembleScore(runs: RunOutputs[], file: string, seeds: number[], ws: WindowSet): Score | undefined {
  const members = seeds.map((s) => runs.find((r) => r.leftOut === file && r.seed === s)?.outputs);
  if (members.some((m) => !m || m.prob.length !== ws.count)) return undefined;
  const mean = meanOutputs(members as RunOutputsOf[]);
  return score(ws, mean.prob, mean.reg);
}

type RunOutputsOf = { prob: number[]; reg: number[] };

/** The members' mean probabilities and forecasts, window by window (what a saved ensemble computes). */
export function meanOutputs(outs: RunOutputsOf[]): RunOutputsOf {
  const mean = (pick: (o: RunOutputsOf) => number[]) => pick(outs[0]).map((_, i) => outs.reduce((s, o) => s + pick(o)[i], 0) / outs.length);
  return { prob: mean((o) => o.prob), reg: mean((o) => o.reg) };
}

/** Seeds whose runs exist for every one of `files`. */
export function seedsOnEveryFile(runs: RunOutputs[], files: string[]): number[] {
  const seeds = [...new Set(runs.map((r) => r.seed))];
  return seeds.filter((s) => files.every((f) => runs.some((r) => r.leftOut === f && r.seed === s && r.outputs))).sort((a, b) => a - b);
}

/** Balanced accuracy to reach per left-out file (by its short name), and the false-alarm ceiling of a file judged by FPR (issue 19's goals). */
const LEVEL_GOALS: Record<string, number> = { Lvl_4: 0.83, Lvl_5: 0.95, Lvl_7: 0.83 };
const FPR_GOAL = 0.02;
/** Largest difference in points between independent retrainings (disjoint seed sets) on a file judged by balanced accuracy. */
const STABILITY_POINTS = 3;

const pct = (x: number) => (100 * x).toFixed(1);
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const spread = (xs: number[]) => `${pct(mean(xs))}${xs.length > 1 ? ` (${pct(Math.min(...xs))}-${pct(Math.max(...xs))})` : ''}`;

export interface EnsembleTableInput {
  files: string[];
  /** The recipe's outer runs (every seed). */
  runs: Array<RunOutputs & { withoutProfile: Score }>;
  k: number;
  scoredOf: (file: string) => WindowSet;
  logistic: Record<string, Score>;
  minPositives: number;
  short: (file: string) => string;
}

/** Markdown lines and JSON of the K-seed ensembles over disjoint seed sets, judged against the stability and level goals. */
export function ensembleSection(t: EnsembleTableInput): { lines: string[]; json: unknown } {
  const seeds = seedsOnEveryFile(t.runs, t.files);
  const sets = disjointSeedSets(seeds, t.k);
  const lines = [
    `## Ensembles of ${t.k} seeds, scored from the runs' saved outputs (no profile)`, '',
    `Each ensemble averages the probabilities and forecasts of ${t.k} of the runs above; the ${sets.length} seed set${sets.length === 1 ? '' : 's'} (${sets.map((s) => s.join(',')).join(' / ') || 'none complete'}) are disjoint, so they are independent retrainings of the ensemble. Single runs: mean (min-max) over seeds ${seeds.join(', ') || '-'}.`, '',
    `| Left out | judged by | single runs | ${sets.map((s) => `ensemble of seeds ${s.join(',')}`).join(' | ')} | ensembles: mean (min-max) | spread (points) | logistic regression | stability (<= ${STABILITY_POINTS} points) | level |`,
    `|---|---|---|${sets.map(() => '---|').join('')}---|---|---|---|---|`,
  ];
  const json: unknown[] = [];
  const verdicts: boolean[] = [];
  for (const file of t.files) {
    const ws = t.scoredOf(file);
    const byFpr = (t.runs.find((r) => r.leftOut === file)?.withoutProfile.positives ?? 0) < t.minPositives;
    const judged = (s: Score) => (byFpr ? s.fpr ?? 0 : s.balancedAccuracy);
    const singles = t.runs.filter((r) => r.leftOut === file && seeds.includes(r.seed)).map((r) => judged(r.withoutProfile));
    const scores = sets.map((s) => ensembleScore(t.runs, file, s, ws)).filter((s): s is Score => s !== undefined);
    const values = scores.map(judged);
    const logistic = judged(t.logistic[file]);
    const width = values.length ? 100 * (Math.max(...values) - Math.min(...values)) : NaN;
    const level = values.length ? mean(values) : NaN;
    const target = byFpr ? FPR_GOAL : LEVEL_GOALS[t.short(file)];
    const levelMet = (byFpr ? level <= FPR_GOAL && level <= logistic : level >= logistic && (target === undefined || level >= target));
    const stable = byFpr ? null : values.length >= 3 && width <= STABILITY_POINTS;
    if (values.length) verdicts.push(levelMet);
    if (stable !== null && values.length) verdicts.push(stable);
    const stability = stable === null ? 'not judged (FPR)' : values.length < 3 ? `needs 3 sets, have ${values.length}` : stable ? 'met' : '**not met**';
    const levelText = `${byFpr ? `<= ${pct(FPR_GOAL)}` : `>= ${target === undefined ? '-' : pct(target)}`} and ${byFpr ? '<=' : '>='} logistic: ${values.length ? (levelMet ? 'met' : '**not met**') : '-'}`;
    lines.push(`| ${t.short(file)} | ${byFpr ? 'FPR %' : 'balanced %'} | ${singles.length ? spread(singles) : '-'} | ${values.map(pct).join(' | ')} | ${values.length ? spread(values) : '-'} | ${Number.isNaN(width) ? '-' : width.toFixed(1)} | ${pct(logistic)} | ${stability} | ${levelText} |`);
    json.push({ file, judgedBy: byFpr ? 'fpr' : 'balancedAccuracy', singles, seedSets: sets, ensembles: scores, logistic, spreadPoints: width, stable, levelMet });
  }
  lines.push('', `Goals met: ${verdicts.filter(Boolean).length} of ${verdicts.length}.`, '');
  return { lines, json: { k: t.k, seeds, sets, files: json } };
}
