/**
 * `npm run kpi:unseen -- --data DIR`: how the KPI models do on a cell they have never
 * seen. For each FccIQ file left out (scripts/experiments/kpi-leave-one-out.ts), each
 * architecture and each input normalisation (src/measurements/inputs.ts), a model is
 * trained on the other files and scored on the windows of the left-out file's second
 * half, without a profile (pooled scaler) and with a profile made from its first half
 * (unlabelled). Beside them, three baselines fitted on the same training windows:
 * majority class, a last-step SINR threshold, logistic regression on raw-unit
 * summary features (scripts/experiments/kpi-baselines.ts).
 *
 * With --inner-cv, the normalisation is also CHOSEN per left-out file without its
 * labels: leave-one-file-out cross-validation inside that fold's training files,
 * criterion fixed in advance = the mean over inner folds of the balanced accuracy
 * without and with a profile (averaged). The report shows the chosen candidate's
 * outer result (nested cross-validation).
 *
 * With --upper-bound, the recipe is also trained on the left-out file's first half WITH its labels
 * (beside the other files) and scored on the same second half: what no profile can beat, since a
 * profile reads that half unlabelled. It tells a goal out of reach from a model that falls short.
 *
 * With --adapt, the recipe's model of each outer run of seeds 1..--adapt-seeds (default --seeds) is also
 * fine-tuned on the left-out file's labelled first half and scored on the second
 * (scripts/experiments/kpi-unseen-adapt.ts); --bound-seeds N (default --seeds) limits the upper bound's seeds.
 * The report also scores ensembles of --ensemble K seeds (default 3) from the runs' saved outputs
 * (scripts/experiments/kpi-unseen-ensembles.ts), over disjoint seed sets, and gives every table's seed range.
 *
 * Resumable: every finished training writes RUNS/<name>.json and is skipped when
 * re-run; until then it checkpoints after every epoch. Split the work over processes or
 * machines (shared --runs) with --shard I/N (shards numbered 1..N; or --shard-index-env NAME
 * --shards N with a 0-based index in the environment variable NAME): a shard trains only its
 * runs and writes no report; then --merge checks every run is there (else exit 2 listing the
 * missing ones) and writes OUT/unseen.{md,json}. Unsharded, it runs itself as --jobs shards in
 * child processes on this machine (default 2: both cores), then writes the report.
 * What is trained: the FIRST architecture with every candidate (seed 1), and with the first
 * candidate (the recipe's inputs) on --seeds seeds; every other architecture once, seed 1, with
 * the first candidate. So the defaults measure the recipe on 3 seeds, the six architectures,
 * and four input candidates, without the full cross product.
 * `--help` lists every option with its default.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_WINDOW as WINDOW, loadFcciqFiles, type FcciqFile } from '../../src/datasets/kpi/fcciq.js';
import { parseCandidate, type Candidate } from './kpi-candidates.js';
import { goalLines } from './kpi-unseen-goals.js';
import { baselines, score, type Score } from './kpi-unseen-scores.js';
import { leaveOneFileOut, type LeaveOneOutSplit } from './kpi-leave-one-out.js';
import { adaptOnFirstHalf, adaptSection, loadRunModel } from './kpi-unseen-adapt.js';
import { ensembleSection } from './kpi-unseen-ensembles.js';
import { short, type Job, type Run } from './kpi-unseen-runs.js';
import { criterion, mean, MIN_POSITIVES, pct, row } from './kpi-unseen-table.js';
import type { WindowSet } from '../../src/datasets/kpi/windows.js';
import { initEngine } from '../../src/dnn/engine.js';
import { applyForecastGain, fitForecastGain } from '../../src/dnn/kpi/forecast-gain.js';
import type { KpiModel } from '../../src/dnn/kpi/base.js';
import { createKpiModel, isKpiArch } from '../../src/dnn/kpi/registry.js';
import { predictKpi } from '../../src/dnn/kpi/predict.js';
import { trainKpi } from '../../src/dnn/kpi/trainer.js';
import { saveModel } from '../../src/dnn/model-io.js';
import { removeCheckpoints } from '../../src/dnn/training/checkpoint.js';
import { onEpochs } from '../../src/dnn/training/events.js';
import { writeFileAtomic } from '../../src/io/atomic-write.js';
import { DEFAULT_FCCIQ_DIR, existingDir, flag, intOpt, opt, outDir, readScriptOptions, ROOT } from '../shared/lib.js';
import { runShardProcesses } from '../shared/shard-processes.js';
import { requireAllRuns, SHARD_OPTIONS, shardOptionsOrExit, withoutShardArgs } from '../shared/shard-option.js';
import { inShard } from '../shared/shard.js';

readScriptOptions({
  name: 'kpi:unseen',
  summary: 'How the KPI models do on a cell never seen: leave one FccIQ file out, train on the others, score without and with a profile; resumable, sharded; writes unseen.md and .json.',
  options: {
    data: { value: 'DIR', help: 'FccIQ CSV folder (default data/fcciq)' },
    archs: { value: 'a,b', help: 'architectures (default ple,stl,hard-sharing,cross-stitch,mmoe,attention)' },
    inputs: { value: 'a,b', help: 'input normalisations (default pooled,physical,pooled+ls6,file-robust)' },
    seeds: { value: 'N', help: 'seeds of the recipe (default 3)' },
    hidden: { value: 'H', help: 'LSTM hidden size (default 64)' },
    context: { value: 'C', help: 'LSTM context in steps (default 10)' },
    epochs: { value: 'E', help: 'maximum epochs (default 10)' },
    patience: { value: 'P', help: 'early-stopping patience (default 0: off)' },
    'inner-cv': { help: 'also choose the normalisation per left-out file by inner cross-validation' },
    'upper-bound': { help: "also train on the left-out file's labelled first half" },
    'bound-seeds': { value: 'N', help: 'seeds of the upper bound (default --seeds)' },
    adapt: { help: "also adapt each recipe model on the left-out file's labelled first half (train kpi --from)" },
    'adapt-seeds': { value: 'N', help: 'recipe seeds adapted (default --seeds)' },
    ensemble: { value: 'K', help: 'score ensembles of K consecutive recipe seeds (default 3)' },
    jobs: { value: 'J', help: 'shard processes on this machine when unsharded (default 2)' },
    runs: { value: 'DIR', help: 'finished runs, for resuming (default scratch/kpi-unseen)' },
    out: { value: 'DIR', help: 'where to write the report (default scratch/kpi-unseen; results/kpi updates the committed results)' },
    ...SHARD_OPTIONS,
  },
});
const DATA = existingDir('data', DEFAULT_FCCIQ_DIR);
const ARCHS = opt('archs', 'ple,stl,hard-sharing,cross-stitch,mmoe,attention').split(',');
const INPUTS = opt('inputs', 'pooled,physical,pooled+ls6,file-robust').split(',');
const CANDIDATES: Candidate[] = INPUTS.map(parseCandidate);
const SEEDS = Number(opt('seeds', '3'));
const HIDDEN = Number(opt('hidden', '64'));
const CONTEXT = Number(opt('context', '10'));
const EPOCHS = Number(opt('epochs', '10'));
const PATIENCE = Number(opt('patience', '0'));
const INNER_CV = flag('inner-cv');
const UPPER_BOUND = flag('upper-bound');
const ADAPT = flag('adapt');
const ADAPT_SEEDS = intOpt('adapt-seeds', SEEDS);
const BOUND_SEEDS = intOpt('bound-seeds', SEEDS);
const ENSEMBLE = intOpt('ensemble', 3, 2);
const JOBS = intOpt('jobs', 2);
const RUNS = resolve(opt('runs', join(ROOT, 'scratch', 'kpi-unseen')));
const OUT = outDir();

function jobName(j: Job, files: FcciqFile[]): string {
  const inner = j.inner === null ? '' : `-in-${short(files[j.inner].name)}`;
  return `${j.kind}-${short(files[j.leftOut].name)}${inner}-${j.arch}-${j.candidate.name}-h${HIDDEN}-c${CONTEXT}-e${EPOCHS}-s${j.seed}`;
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

/** An adapt job's fine-tuning, in the shape of a training result. */
function adaptedRun(model: KpiModel, split: LeaveOneOutSplit, file: FcciqFile, checkpointDir: string): { epochsRun: number; bestEpoch: number; trainSeconds: number; trainWindows: number } {
  const a = adaptOnFirstHalf(model, split, file, WINDOW, checkpointDir);
  removeCheckpoints(join(checkpointDir, 'member-0'));
  return { epochsRun: a.members[0].epochsRun, bestEpoch: a.members[0].bestEpoch, trainSeconds: a.trainSeconds, trainWindows: a.trainWindows };
}

/** Trains one model on a leave-one-file-out split and scores it. */
function runJob(j: Job, files: FcciqFile[]): Run {
  // Inner runs leave `inner` out of the outer fold's training files (the outer left-out file is not among them).
  const pool = j.inner === null ? files : files.filter((_, i) => i !== j.leftOut);
  const heldOut = j.inner === null ? j.leftOut : pool.indexOf(files[j.inner]);
  const split = leaveOneFileOut(pool, heldOut, WINDOW, j.candidate.inputs, { labelledHistory: j.kind === 'bound' });
  const name = jobName(j, files);
  const checkpointDir = join(RUNS, `${name}-checkpoint`);
  const model = j.kind === 'adapt' ? loadRunModel(join(RUNS, 'models', jobName({ ...j, kind: 'outer' }, files))) : createKpiModel(j.arch, { hidden: HIDDEN, window: WINDOW, context: CONTEXT, seed: j.seed });
  process.stderr.write(`kpi:unseen: ${name}: ${split.train.count} training windows, ${split.scored.withProfile.count} scored\n`);
  const cpu = process.cpuUsage();
  const r = j.kind === 'adapt' ? adaptedRun(model, split, files[j.leftOut], checkpointDir) : trainKpi(model, split.train, split.val, {
    epochs: EPOCHS, seed: j.seed, patience: PATIENCE, levelShiftDb: j.candidate.levelShiftDb, checkpointDir,
    onEvent: onEpochs((l) => process.stderr.write(`kpi:unseen: ${name} epoch ${l.epoch} val loss ${l.valLoss.toFixed(4)} acc ${(100 * l.valAccuracy).toFixed(2)}%${l.best ? ' *' : ''} ${l.seconds.toFixed(0)}s\n`)),
  });
  const used = process.cpuUsage(cpu);
  const trainCpuSeconds = (used.user + used.system) / 1e6;
  const plain = predictKpi(model, split.scored.withoutProfile);
  const scoreOn = (ws: WindowSet, gain?: number[]) => {
    const { reg, prob } = predictKpi(model, ws);
    if (gain) applyForecastGain(reg, ws.last, gain);
    return score(ws, prob, reg);
  };
  // A profile also carries the forecast gain fitted on the calibration half's own next steps (no labels).
  const calibration = split.calibrationWindows;
  const forecastGain = fitForecastGain(calibration.last, predictKpi(model, calibration).reg, calibration.y);
  const run: Run = {
    name, kind: j.kind, leftOut: files[j.leftOut].name, innerLeftOut: j.inner === null ? null : files[j.inner].name,
    arch: j.arch, inputs: j.candidate.name, seed: j.seed, hidden: HIDDEN, context: CONTEXT, epochs: r.epochsRun, bestEpoch: r.bestEpoch,
    trainSeconds: r.trainSeconds, trainCpuSeconds, trainWindows: 'trainWindows' in r ? r.trainWindows : split.train.count,
    withoutProfile: scoreOn(split.scored.withoutProfile), withProfile: scoreOn(split.scored.withProfile, forecastGain), forecastGain,
    outputs: { prob: Array.from(plain.prob, round6), reg: Array.from(plain.reg, round6) },
  };
  // The trained weights stay for --adapt, which fine-tunes them on the left-out file's labelled first half.
  if (j.kind === 'outer') saveModel(join(RUNS, 'models', name), { weights: model.params.vars, manifest: { arch: j.arch, config: model.config } });
  writeFileAtomic(join(RUNS, `${name}.json`), JSON.stringify(run, null, 2) + '\n');
  removeCheckpoints(checkpointDir);
  for (const v of Object.values(model.params.vars)) v.dispose();
  return run;
}

function readRuns(): Run[] {
  if (!existsSync(RUNS)) return [];
  return readdirSync(RUNS).filter((f) => f.endsWith('.json')).map((f) => JSON.parse(readFileSync(join(RUNS, f), 'utf8')) as Run)
    .filter((r) => r.hidden === HIDDEN && r.context === CONTEXT);
}


/** The command as it defines the result: the data directory as DIR, without the sharding switches. */
function shownArgs(): string[] {
  return withoutShardArgs().map((a, i, all) => (all[i - 1] === '--data' ? 'DIR' : a));
}

function report(files: FcciqFile[]): void {
  const runs = readRuns();
  const outer = runs.filter((r) => r.kind === 'outer');
  const md: string[] = [
    '# Interference detection and forecasts on a cell never seen',
    '',
    `Made by \`npm run kpi:unseen -- ${shownArgs().join(' ')}\` (DIR: the FccIQ CSVs).`,
    `Each FccIQ file is left out in turn; models train on the other files (first 90% of each; the last 10% selects the checkpoint) with H = ${HIDDEN}, context ${CONTEXT}, window ${WINDOW}, max ${EPOCHS} epochs${PATIENCE ? `, patience ${PATIENCE}` : ''}.`,
    'Scored on the windows of the left-out file\'s second half: **without a profile** (the pooled scaler of the training files, what a client gets by default) and **with a profile** made from the left-out file\'s first half (unlabelled rows): its scaling, and its forecast gain fitted on what those rows did next.',
    'Balanced accuracy, TPR (interference detected) and FPR (false alarms) in %; next-step RMSE in dBm / dB, model / persistence. Baselines use raw units and no profile.',
    '',
  ];
  const json: Record<string, unknown> = { hidden: HIDDEN, context: CONTEXT, window: WINDOW, epochs: EPOCHS, patience: PATIENCE, files: [] as unknown[] };
  const header = ['| Model | Balanced acc | TPR | FPR | RMSE RSRP | RMSE RSRQ | RMSE SINR |', '|---|---|---|---|---|---|---|'];
  const [recipeArch] = ARCHS;
  const recipe = outer.filter((r) => r.arch === recipeArch && r.inputs === INPUTS[0]);
  const bounds = runs.filter((r) => r.kind === 'bound' && r.arch === recipeArch && r.inputs === INPUTS[0]);
  md.push(`## The goals, on the recipe (${recipeArch} \`${INPUTS[0]}\`, ${SEEDS} seed${SEEDS === 1 ? '' : 's'}: mean, range)`, '', ...goalLines(recipe, files.map((f) => f.name), MIN_POSITIVES, short, bounds), '');
  const logistic: Record<string, Score> = {};
  files.forEach((f, fi) => {
    const base = baselines(files, fi, WINDOW);
    logistic[f.name] = base['logistic regression (raw features)'];
    const mine = outer.filter((r) => r.leftOut === f.name).sort((a, b) => (a.arch + a.inputs + a.seed).localeCompare(b.arch + b.inputs + b.seed));
    const scored = Object.values(base)[0];
    md.push(`## Left out: ${f.name} (${scored.windows} scored windows, ${scored.positives} with interference)`, '', ...header);
    for (const [label, s] of Object.entries(base)) md.push(row(label, s));
    for (const r of mine) {
      md.push(row(`${r.arch} ${r.inputs} seed ${r.seed}, no profile`, r.withoutProfile));
      md.push(row(`${r.arch} ${r.inputs} seed ${r.seed}, profile`, r.withProfile));
    }
    const mineBounds = bounds.filter((r) => r.leftOut === f.name).sort((a, b) => a.seed - b.seed);
    for (const r of mineBounds) md.push(row(`upper bound: ${r.arch} ${r.inputs} seed ${r.seed}, also trained on this file's labelled first half`, r.withoutProfile));
    md.push('');
    const withoutOutputs = (rs: Run[]) => rs.map(({ outputs: _outputs, ...r }) => r);
    (json.files as unknown[]).push({ file: f.name, baselines: base, runs: withoutOutputs(mine), upperBounds: withoutOutputs(mineBounds) });
  });
  const names = files.map((f) => f.name);
  const scoredOf = (file: string) => leaveOneFileOut(files, names.indexOf(file), WINDOW, CANDIDATES[0].inputs).scored.withoutProfile;
  const ensembles = ensembleSection({ files: names, runs: recipe, k: ENSEMBLE, scoredOf, logistic, minPositives: MIN_POSITIVES, short });
  md.push(...ensembles.lines);
  json.ensembles = ensembles.json;
  if (ADAPT) {
    const adapted = runs.filter((r) => r.kind === 'adapt' && r.arch === recipeArch && r.inputs === INPUTS[0]);
    const section = adaptSection(names, recipe.filter((r) => r.seed <= ADAPT_SEEDS), adapted, bounds, MIN_POSITIVES, short);
    md.push(...section.lines);
    json.adaptation = section.json;
  }
  if (INNER_CV) {
    const inner = runs.filter((r) => r.kind === 'inner');
    md.push('## Choosing the normalisation without the left-out file\'s labels (nested cross-validation)', '',
      `Per left-out file: leave-one-file-out inside its three training files. Criterion fixed in advance: mean over the inner folds of (score without profile + with profile) / 2, the score being the balanced accuracy, or 1 − FPR where the held-out part has fewer than ${MIN_POSITIVES} interference windows. The chosen candidate's outer result (mean over the seeds it was trained with) is what the recipe would score.`, '',
      `| Left out | ${INPUTS.join(' | ')} | Chosen | Outer: balanced no profile / profile | Outer FPR no profile / profile |`, `|---|${INPUTS.map(() => '---|').join('')}---|---|---|`);
    const nested: unknown[] = [];
    for (const f of files) {
      const cells = INPUTS.map((inp) => {
        const rs = inner.filter((r) => r.leftOut === f.name && r.inputs === inp && r.arch === ARCHS[0]);
        return { inputs: inp, folds: rs.length, value: rs.length ? mean(rs.map(criterion)) : NaN };
      });
      const complete = cells.every((c) => c.folds === files.length - 1);
      const chosen = complete ? cells.reduce((a, b) => (b.value > a.value ? b : a)).inputs : null;
      const o = chosen ? outer.filter((r) => r.leftOut === f.name && r.inputs === chosen && r.arch === ARCHS[0]) : [];
      const range = (xs: number[]) => `${pct(mean(xs))}${xs.length > 1 ? ` (${pct(Math.min(...xs))}-${pct(Math.max(...xs))})` : ''}`;
      const outerCell = o.length ? `${range(o.map((r) => r.withoutProfile.balancedAccuracy))} / ${range(o.map((r) => r.withProfile.balancedAccuracy))}` : '-';
      const fprCell = o.length ? `${range(o.map((r) => r.withoutProfile.fpr ?? 0))} / ${range(o.map((r) => r.withProfile.fpr ?? 0))}` : '-';
      md.push(`| ${short(f.name)} | ${cells.map((c) => (c.folds ? `${pct(c.value)} (${c.folds} folds)` : '-')).join(' | ')} | ${chosen ?? 'incomplete'} | ${outerCell} | ${fprCell} |`);
      nested.push({ file: f.name, inner: cells, chosen, outer: o.map((r) => r.name) });
    }
    md.push('');
    json.nested = nested;
  }
  const trainSeconds = runs.reduce((a, r) => a + r.trainSeconds, 0);
  const count = (kind: Run['kind']) => runs.filter((r) => r.kind === kind).length;
  md.push(`Finished trainings: ${outer.length} outer, ${count('inner')} inner, ${count('bound')} upper bound, ${count('adapt')} adapted; ${Math.round(trainSeconds)} s of training in all.`, '');
  mkdirSync(OUT, { recursive: true });
  writeFileAtomic(join(OUT, 'unseen.md'), md.join('\n'));
  writeFileAtomic(join(OUT, 'unseen.json'), JSON.stringify({ ...json, trainSeconds }, null, 2) + '\n');
  process.stderr.write(`kpi:unseen: wrote ${join(OUT, 'unseen.md')}\n`);
}

async function main(): Promise<void> {
  for (const a of ARCHS) if (!isKpiArch(a)) throw new Error(`--archs: unknown architecture '${a}'`);
  const { shard, merge } = shardOptionsOrExit('kpi:unseen');
  const { files } = loadFcciqFiles(resolve(DATA));
  const jobs: Job[] = [];
  // Inner runs first: they choose the candidate whose outer runs matter.
  if (INNER_CV) for (const candidate of CANDIDATES) files.forEach((_, leftOut) => files.forEach((__, inner) => {
    if (inner !== leftOut) jobs.push({ kind: 'inner', leftOut, inner, arch: ARCHS[0], candidate, seed: 1 });
  }));
  const outer = (arch: string, candidate: Candidate, seed: number) =>
    files.forEach((_, leftOut) => jobs.push({ kind: 'outer', leftOut, inner: null, arch, candidate, seed }));
  const [recipeArch, ...otherArchs] = ARCHS;
  const [recipeInputs, ...otherInputs] = CANDIDATES;
  for (let seed = 1; seed <= SEEDS; seed++) outer(recipeArch, recipeInputs, seed);
  for (const candidate of otherInputs) outer(recipeArch, candidate, 1);
  for (const arch of otherArchs) outer(arch, recipeInputs, 1);
  if (UPPER_BOUND) for (let seed = 1; seed <= BOUND_SEEDS; seed++) {
    files.forEach((_, leftOut) => jobs.push({ kind: 'bound', leftOut, inner: null, arch: recipeArch, candidate: recipeInputs, seed }));
  }
  // Adaptation starts from the outer runs' saved models, so it comes after them.
  if (ADAPT) for (let seed = 1; seed <= ADAPT_SEEDS; seed++) {
    files.forEach((_, leftOut) => jobs.push({ kind: 'adapt', leftOut, inner: null, arch: recipeArch, candidate: recipeInputs, seed }));
  }
  const finished = (j: Job) => existsSync(join(RUNS, `${jobName(j, files)}.json`));
  if (merge) {
    requireAllRuns('kpi:unseen', jobs.filter((j) => !finished(j)).map((j) => jobName(j, files)), jobs.length);
  } else if (!shard && JOBS > 1) {
    await runShardProcesses('kpi:unseen', fileURLToPath(import.meta.url), withoutShardArgs(), JOBS);
  } else {
    await initEngine();
    mkdirSync(RUNS, { recursive: true });
    for (const j of shard ? inShard(jobs, shard) : jobs) if (!finished(j)) runJob(j, files);
    if (shard) {
      process.stderr.write(`kpi:unseen: shard ${shard.index}/${shard.count} done; --merge writes the report once all shards are done\n`);
      return;
    }
  }
  report(files);
}

main().catch((err: unknown) => {
  process.stderr.write(`kpi:unseen: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
