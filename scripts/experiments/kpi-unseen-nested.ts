/**
 * `kpi:unseen --nested-recipe`: the served KPI recipe (its members and K) chosen by nested
 * cross-validation, never by a left-out file's labels. Candidates and criterion are fixed here,
 * before any run, all with the recipe's inputs (the first --inputs):
 *  - one PLE, scored as the mean over seeds 1-5 of single trainings (what one retraining gets);
 *  - PLE ensembles of seeds 1-3 and of seeds 1-5 (K = 3 reuses K = 5's first three members);
 *  - a mixed ensemble: PLE, MMoE and attention, seed 1 each.
 * An ensemble is scored on its members' mean outputs (what a saved ensemble computes).
 * Per outer left-out file L, each candidate's criterion is the mean over the inner folds (each
 * other file I, held out of a training on the remaining files) of I's second half without a
 * profile: balanced accuracy, or 1 - FPR where it holds fewer than MIN_POSITIVES interference
 * windows. The highest wins (ties: the earlier, cheaper candidate) and is scored on L. The served
 * choice: the same criterion over the outer folds, every file left out once.
 */
import type { WindowSet } from '../../src/datasets/kpi/windows.js';
import { meanOutputs } from './kpi-unseen-ensembles.js';
import type { Run } from './kpi-unseen-runs.js';
import { score, type Score } from './kpi-unseen-scores.js';
import { foldScore, mean, MIN_POSITIVES, pct } from './kpi-unseen-table.js';

export interface Member {
  arch: string;
  seed: number;
}

export interface RecipeCandidate {
  name: string;
  members: Member[];
  /** Scored as the mean of its members' own scores (independent single models), not as their ensemble. */
  singles?: boolean;
}

const ple = (seeds: number[]): Member[] => seeds.map((seed) => ({ arch: 'ple', seed }));

export const RECIPE_CANDIDATES: RecipeCandidate[] = [
  { name: 'one PLE (mean of seeds 1-5)', members: ple([1, 2, 3, 4, 5]), singles: true },
  { name: 'PLE x3 (seeds 1-3)', members: ple([1, 2, 3]) },
  { name: 'PLE x5 (seeds 1-5)', members: ple([1, 2, 3, 4, 5]) },
  { name: 'PLE + MMoE + attention (seed 1)', members: [{ arch: 'ple', seed: 1 }, { arch: 'mmoe', seed: 1 }, { arch: 'attention', seed: 1 }] },
];

/** Every single training the candidates need per training set (each once). */
export function nestedMembers(candidates = RECIPE_CANDIDATES): Member[] {
  const all = candidates.flatMap((c) => c.members);
  return all.filter((m, i) => all.findIndex((o) => o.arch === m.arch && o.seed === m.seed) === i);
}

type FoldRun = Pick<Run, 'kind' | 'leftOut' | 'innerLeftOut' | 'arch' | 'inputs' | 'seed' | 'outputs'>;

/** A held-out part: the runs scored on it (one per member) and its scored windows. */
export interface Fold {
  runs: FoldRun[];
  ws: WindowSet;
}

/** The outputs of `c`'s members on a fold's `count` windows, or undefined when a member's run is missing. */
function memberOutputs(c: RecipeCandidate, runs: FoldRun[], count: number): Array<{ prob: number[]; reg: number[] }> | undefined {
  const outs = c.members.map((m) => runs.find((r) => r.arch === m.arch && r.seed === m.seed)?.outputs);
  if (outs.some((o) => !o || o.prob.length !== count)) return undefined;
  return outs as Array<{ prob: number[]; reg: number[] }>;
}

/** The scores of `c` on a fold (one per member for singles, else one), or undefined when a member's run is missing. */
export function candidateScores(c: RecipeCandidate, fold: Fold): Score[] | undefined {
  const outs = memberOutputs(c, fold.runs, fold.ws.count);
  if (!outs) return undefined;
  if (c.singles) return outs.map((o) => score(fold.ws, o.prob, o.reg));
  const m = meanOutputs(outs);
  return [score(fold.ws, m.prob, m.reg)];
}

/** The per-window probabilities of ensemble `c` from the runs of one fold (`count` windows), or undefined when a member's run is missing. */
export function ensembleProbability(c: RecipeCandidate, runs: FoldRun[], count: number): number[] | undefined {
  const outs = memberOutputs(c, runs, count);
  return outs && meanOutputs(outs).prob;
}

/** The criterion of `c` over `folds`: the mean fold score, null unless every fold has every member. */
export function criterionOver(c: RecipeCandidate, folds: Fold[]): number | null {
  const scores = folds.map((f) => candidateScores(c, f));
  if (folds.length === 0 || scores.some((s) => s === undefined)) return null;
  return mean((scores as Score[][]).map((s) => mean(s.map(foldScore))));
}

/** The index of the highest value (the first on ties), or null when any is missing. */
export function choose(values: Array<number | null>): number | null {
  if (values.length === 0 || values.some((v) => v === null)) return null;
  return (values as number[]).reduce((best, v, i, all) => (v > all[best] ? i : best), 0);
}

export interface NestedInput {
  files: string[];
  /** Inner and outer runs of the recipe's inputs. */
  runs: FoldRun[];
  /** The scored windows of `leftOut` (no profile), held out of a training without `outerLeftOut` too when given. */
  scoredOf: (leftOut: string, outerLeftOut: string | null) => WindowSet;
  short: (file: string) => string;
  candidates?: RecipeCandidate[];
}

/** Balanced accuracy, or FPR where the part has fewer than MIN_POSITIVES interference windows: mean (min-max) over the scores. */
function judgedCell(scores: Score[] | undefined): string {
  if (!scores) return '-';
  const byFpr = scores[0].positives < MIN_POSITIVES;
  const xs = scores.map((s) => (byFpr ? s.fpr ?? 0 : s.balancedAccuracy));
  return `${pct(mean(xs))}${xs.length > 1 ? ` (${pct(Math.min(...xs))}-${pct(Math.max(...xs))})` : ''}${byFpr ? ' FPR' : ''}`;
}

/** Markdown lines and JSON of the nested choice per outer file and of the served choice. */
export function nestedSection(t: NestedInput): { lines: string[]; json: unknown } {
  const cands = t.candidates ?? RECIPE_CANDIDATES;
  const of = (kind: Run['kind'], leftOut: string, inner: string | null) => t.runs.filter((r) => r.kind === kind && r.leftOut === leftOut && r.innerLeftOut === inner);
  const outerFold = (file: string): Fold => ({ runs: of('outer', file, null), ws: t.scoredOf(file, null) });
  const names = cands.map((c) => c.name).join(' | ');
  const lines = [
    '## Choosing the served recipe by nested cross-validation (`--nested-recipe`)', '',
    `Candidates, fixed before the run: ${cands.map((c) => `**${c.name}**`).join(', ')}. An ensemble averages its members' outputs; "one PLE" is the mean over its seeds of single models. Per left-out file, the criterion is the mean over its inner folds (each other file held out of a training on the remaining two) of the held-out second half's balanced accuracy without a profile, or 1 - FPR where it holds fewer than ${MIN_POSITIVES} interference windows; the highest wins (ties: the cheaper) and is scored on the left-out file (balanced %, or FPR % on a file without enough interference). No left-out file's labels take part in its choice.`, '',
    `| Left out | inner criterion %: ${names} | chosen | chosen, on the left-out file |`, `|---|${cands.map(() => '---|').join('')}---|---|`,
  ];
  const folds = t.files.map((file) => {
    const inner = t.files.filter((f) => f !== file).map((i) => ({ runs: of('inner', file, i), ws: t.scoredOf(i, file) }));
    const values = cands.map((c) => criterionOver(c, inner));
    const chosen = choose(values);
    const outer = chosen === null ? undefined : candidateScores(cands[chosen], outerFold(file));
    lines.push(`| ${t.short(file)} | ${values.map((v) => (v === null ? '-' : pct(v))).join(' | ')} | ${chosen === null ? 'incomplete' : cands[chosen].name} | ${judgedCell(outer)} |`);
    return { file, inner: values, chosen: chosen === null ? null : cands[chosen].name, outer: outer ?? null };
  });
  lines.push('', `What every candidate scores on the left-out files (outer folds; the last row is the criterion over them, which chooses the served recipe):`, '', `| Left out | ${names} |`, `|---|${cands.map(() => '---|').join('')}`);
  const outerScores = t.files.map((file) => cands.map((c) => candidateScores(c, outerFold(file))));
  t.files.forEach((file, i) => lines.push(`| ${t.short(file)} | ${outerScores[i].map(judgedCell).join(' | ')} |`));
  const served = cands.map((c) => criterionOver(c, t.files.map(outerFold)));
  const servedChoice = choose(served);
  lines.push(`| criterion | ${served.map((v) => (v === null ? '-' : pct(v))).join(' | ')} |`, '', `Served choice: ${servedChoice === null ? 'incomplete (not every outer training has finished)' : `**${cands[servedChoice].name}**`}.`, '');
  return { lines, json: { candidates: cands, folds, outer: t.files.map((file, i) => ({ file, scores: outerScores[i].map((s) => s ?? null) })), served: { criterion: served, chosen: servedChoice === null ? null : cands[servedChoice].name } } };
}
