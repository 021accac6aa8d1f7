/** The report of `kpi:unseen` (scripts/experiments/kpi-unseen.ts): OUT/unseen.md and OUT/unseen.json from the finished runs. */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_WINDOW as WINDOW, type FcciqFile } from '../../src/datasets/kpi/fcciq.js';
import type { WindowSet } from '../../src/datasets/kpi/windows.js';
import { writeFileAtomic } from '../../src/io/atomic-write.js';
import type { KpiInputs } from '../../src/measurements/inputs.js';
import { leaveOneFileOut } from './kpi-leave-one-out.js';
import { adaptSection } from './kpi-unseen-adapt.js';
import { disjointSeedSets, ensembleSection, meanOutputs, seedsOnEveryFile } from './kpi-unseen-ensembles.js';
import { eventSection, scoredWindows, type EventModel, type ScoredWindows } from './kpi-unseen-events.js';
import { goalLines } from './kpi-unseen-goals.js';
import { innerCvSection } from './kpi-unseen-inner-cv.js';
import { readRuns } from './kpi-unseen-job.js';
import { ensembleProbability, nestedSection, RECIPE_CANDIDATES } from './kpi-unseen-nested.js';
import { short, type Run, type UnseenSettings } from './kpi-unseen-runs.js';
import { baselineOutputs, type BaselineOutput, type Score } from './kpi-unseen-scores.js';
import { MIN_POSITIVES, row } from './kpi-unseen-table.js';

const withoutOutputs = (rs: Run[]) => rs.map(({ outputs: _outputs, ...r }) => r);

/** The event models: baselines, each seed of the recipe, each ensemble of disjoint seeds (per file, no profile). */
function eventModels(files: string[], base: BaselineOutput[][], recipe: Run[], k: number): EventModel[] {
  const models: EventModel[] = files.flatMap((file, fi) => base[fi].map((b) => ({ model: b.name, file, probability: b.prob })));
  for (const r of [...recipe].sort((a, b) => a.seed - b.seed)) if (r.outputs) models.push({ model: `${r.arch} ${r.inputs} seed ${r.seed}`, file: r.leftOut, probability: r.outputs.prob });
  for (const set of disjointSeedSets(seedsOnEveryFile(recipe, files), k)) {
    for (const file of files) {
      const outs = set.map((seed) => recipe.find((r) => r.leftOut === file && r.seed === seed)?.outputs as { prob: number[]; reg: number[] });
      models.push({ model: `ensemble of seeds ${set.join(',')}`, file, probability: meanOutputs(outs).prob });
    }
  }
  return models;
}

/** The nested recipe's ensemble candidates on each left-out file (outer runs), as event models. */
function candidateEventModels(files: string[], outer: Run[], inputs: string, countOf: (file: string) => number): EventModel[] {
  return RECIPE_CANDIDATES.filter((c) => !c.singles).flatMap((c) => files.flatMap((file) => {
    const probability = ensembleProbability(c, outer.filter((r) => r.leftOut === file && r.inputs === inputs), countOf(file));
    return probability ? [{ model: `candidate ${c.name}`, file, probability }] : [];
  }));
}

/** One left-out file's per-window table: the baselines, its outer runs (without and with a profile) and upper bounds. */
function fileSection(file: string, base: BaselineOutput[], outer: Run[], bounds: Run[]): { lines: string[]; json: unknown } {
  const mine = [...outer].sort((a, b) => (a.arch + a.inputs + a.seed).localeCompare(b.arch + b.inputs + b.seed));
  const mineBounds = [...bounds].sort((a, b) => a.seed - b.seed);
  const scored = base[0].score;
  const lines = [`## Left out: ${file} (${scored.windows} scored windows, ${scored.positives} with interference)`, '',
    '| Model | Balanced acc | TPR | FPR | RMSE RSRP | RMSE RSRQ | RMSE SINR |', '|---|---|---|---|---|---|---|'];
  for (const b of base) lines.push(row(b.label, b.score));
  for (const r of mine) lines.push(row(`${r.arch} ${r.inputs} seed ${r.seed}, no profile`, r.withoutProfile), row(`${r.arch} ${r.inputs} seed ${r.seed}, profile`, r.withProfile));
  for (const r of mineBounds) lines.push(row(`upper bound: ${r.arch} ${r.inputs} seed ${r.seed}, also trained on this file's labelled first half`, r.withoutProfile));
  lines.push('');
  return { lines, json: { file, baselines: Object.fromEntries(base.map((b) => [b.label, b.score])), runs: withoutOutputs(mine), upperBounds: withoutOutputs(mineBounds) } };
}

/** The scored windows (no profile) of a file, held out of a training on every file but it (and `outerFile`, for an inner fold); computed once each. */
function scoredWindowsOf(files: FcciqFile[], inputs: KpiInputs): (file: string, outerFile?: string | null) => WindowSet {
  const cache = new Map<string, WindowSet>();
  return (file, outerFile = null) => {
    const key = `${file}|${outerFile ?? ''}`;
    if (!cache.has(key)) {
      const pool = files.filter((f) => f.name !== outerFile);
      cache.set(key, leaveOneFileOut(pool, pool.findIndex((f) => f.name === file), WINDOW, inputs).scored.withoutProfile);
    }
    return cache.get(key) as WindowSet;
  };
}

/** Writes the report of the finished runs; `plan`: how many trainings the command plans and how many of them are missing. */
export function writeReport(files: FcciqFile[], paths: string[], s: UnseenSettings, shownArgs: string[], plan: { planned: number; missing: number }): void {
  const runs = readRuns(s);
  const outer = runs.filter((r) => r.kind === 'outer');
  const inputs = s.candidates.map((c) => c.name);
  const md: string[] = [
    '# Interference detection and forecasts on a cell never seen',
    '',
    `Made by \`npm run kpi:unseen -- ${shownArgs.join(' ')}\` (DIR: the FccIQ CSVs).`,
    ...(plan.missing ? [`**Partial:** ${plan.missing} of the ${plan.planned} trainings this command plans have not finished; what needs them reads "-" or "incomplete".`] : []),
    `Each FccIQ file is left out in turn; models train on the other files (first 90% of each; the last 10% selects the checkpoint) with H = ${s.hidden}, context ${s.context}, window ${WINDOW}, max ${s.epochs} epochs${s.patience ? `, patience ${s.patience}` : ''}.`,
    'Scored on the windows of the left-out file\'s second half: **without a profile** (the pooled scaler of the training files, what a client gets by default) and **with a profile** made from the left-out file\'s first half (unlabelled rows): its scaling, and its forecast gain fitted on what those rows did next.',
    'Balanced accuracy, TPR (interference detected) and FPR (false alarms) in %; next-step RMSE in dBm / dB, model / persistence. Baselines use raw units and no profile.',
    '',
  ];
  const json: Record<string, unknown> = { hidden: s.hidden, context: s.context, window: WINDOW, epochs: s.epochs, patience: s.patience, files: [] as unknown[] };
  const [recipeArch] = s.archs;
  const isRecipe = (r: Run) => r.arch === recipeArch && r.inputs === inputs[0];
  const recipe = outer.filter((r) => isRecipe(r) && r.seed <= s.seeds);
  const bounds = runs.filter((r) => r.kind === 'bound' && isRecipe(r));
  md.push(`## The goals, on the recipe (${recipeArch} \`${inputs[0]}\`, ${s.seeds} seed${s.seeds === 1 ? '' : 's'}: mean, range)`, '', ...goalLines(recipe, files.map((f) => f.name), MIN_POSITIVES, short, bounds), '');
  const logistic: Record<string, Score> = {};
  const base = files.map((_, fi) => baselineOutputs(files, fi, WINDOW));
  files.forEach((f, fi) => {
    logistic[f.name] = base[fi].find((b) => b.name === 'logistic regression')?.score as Score;
    const section = fileSection(f.name, base[fi], outer.filter((r) => r.leftOut === f.name), bounds.filter((r) => r.leftOut === f.name));
    md.push(...section.lines);
    (json.files as unknown[]).push(section.json);
  });
  const names = files.map((f) => f.name);
  const scoredOf = scoredWindowsOf(files, s.candidates[0].inputs);
  const ensembles = ensembleSection({ files: names, runs: recipe, k: s.ensemble, scoredOf, logistic, minPositives: MIN_POSITIVES, short });
  md.push(...ensembles.lines);
  json.ensembles = ensembles.json;
  const timed = files.map((_, fi) => scoredWindows(files, fi, paths[fi], WINDOW));
  const models = eventModels(names, base, recipe, s.ensemble);
  if (s.nestedRecipe) models.push(...candidateEventModels(names, outer, inputs[0], (file) => scoredOf(file).count));
  const events = eventSection(models, timed.filter((t): t is ScoredWindows => !(t instanceof Error)), timed.flatMap((t) => (t instanceof Error ? [t.message] : [])), short);
  md.push(...events.lines);
  json.events = events.json;
  if (s.adapt) {
    const adapted = runs.filter((r) => r.kind === 'adapt' && isRecipe(r));
    const section = adaptSection(names, recipe.filter((r) => r.seed <= s.adaptSeeds), adapted, bounds, MIN_POSITIVES, short);
    md.push(...section.lines);
    json.adaptation = section.json;
  }
  if (s.innerCv) {
    const section = innerCvSection(names, runs, inputs, recipeArch, short);
    md.push(...section.lines);
    json.nested = section.json;
  }
  if (s.nestedRecipe) {
    const section = nestedSection({ files: names, runs: runs.filter((r) => r.inputs === inputs[0]), scoredOf, short });
    md.push(...section.lines);
    json.nestedRecipe = section.json;
  }
  const trained = runs.filter((r) => !r.trainedBy);
  const trainSeconds = trained.reduce((a, r) => a + r.trainSeconds, 0);
  const count = (kind: Run['kind']) => trained.filter((r) => r.kind === kind).length;
  md.push(`Finished trainings: ${outer.length} outer, ${count('inner')} inner (each scored on the two files it leaves out), ${count('bound')} upper bound, ${count('adapt')} adapted; ${Math.round(trainSeconds)} s of training in all.`, '');
  mkdirSync(s.out, { recursive: true });
  writeFileAtomic(join(s.out, 'unseen.md'), md.join('\n'));
  writeFileAtomic(join(s.out, 'unseen.json'), JSON.stringify({ ...json, trainSeconds, plannedTrainings: plan.planned, missingTrainings: plan.missing }, null, 2) + '\n');
  process.stderr.write(`kpi:unseen: wrote ${join(s.out, 'unseen.md')}\n`);
}
