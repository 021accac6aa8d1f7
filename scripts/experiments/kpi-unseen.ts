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
 * missing ones; with --partial it writes the report anyway, saying how many are missing) and writes OUT/unseen.{md,json}. Unsharded, it runs itself as --jobs shards in
 * child processes on this machine (default 2: both cores), then writes the report.
 * What is trained: the FIRST architecture with every candidate (seed 1), and with the first
 * candidate (the recipe's inputs) on --seeds seeds; every other architecture once, seed 1, with
 * the first candidate. So the defaults measure the recipe on 3 seeds, the six architectures,
 * and four input candidates, without the full cross product.
 * The report also scores interference episodes (event metrics, src/detection/) for the baselines,
 * each seed of the recipe and each ensemble (scripts/experiments/kpi-unseen-events.ts).
 * With --nested-recipe, the served recipe (ensemble members and K) is chosen by nested
 * cross-validation among candidates fixed in advance (scripts/experiments/kpi-unseen-nested.ts).
 * An inner training leaves a pair of files out and serves both outer folds that contain that
 * pair; the trainings are counted and printed before any starts.
 * `--help` lists every option with its default.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listFcciqFiles, loadFcciqFiles, type FcciqFile } from '../../src/datasets/kpi/fcciq.js';
import { initEngine } from '../../src/dnn/engine.js';
import { isKpiArch } from '../../src/dnn/kpi/registry.js';
import { parseCandidate, type Candidate } from './kpi-candidates.js';
import { jobName, runJob, runNames } from './kpi-unseen-job.js';
import { nestedMembers } from './kpi-unseen-nested.js';
import { writeReport } from './kpi-unseen-report.js';
import type { Job, UnseenSettings } from './kpi-unseen-runs.js';
import { DEFAULT_FCCIQ_DIR, existingDir, flag, intOpt, opt, outDir, readScriptOptions, ROOT, usageFail } from '../shared/lib.js';
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
    'nested-recipe': { help: 'also choose the served recipe (ensemble members, K) by nested cross-validation' },
    'upper-bound': { help: "also train on the left-out file's labelled first half" },
    'bound-seeds': { value: 'N', help: 'seeds of the upper bound (default --seeds)' },
    adapt: { help: "also adapt each recipe model on the left-out file's labelled first half (train kpi --from)" },
    'adapt-seeds': { value: 'N', help: 'recipe seeds adapted (default --seeds)' },
    ensemble: { value: 'K', help: 'score ensembles of K consecutive recipe seeds (default 3)' },
    partial: { help: 'with --merge: write the report from the finished runs, saying how many are missing' },
    jobs: { value: 'J', help: 'shard processes on this machine when unsharded (default 2)' },
    runs: { value: 'DIR', help: 'finished runs, for resuming (default scratch/kpi-unseen)' },
    out: { value: 'DIR', help: 'where to write the report (default scratch/kpi-unseen; results/kpi updates the committed results)' },
    ...SHARD_OPTIONS,
  },
});
const DATA = existingDir('data', DEFAULT_FCCIQ_DIR);
const SEEDS = Number(opt('seeds', '3'));
const SETTINGS: UnseenSettings = {
  archs: opt('archs', 'ple,stl,hard-sharing,cross-stitch,mmoe,attention').split(','),
  candidates: opt('inputs', 'pooled,physical,pooled+ls6,file-robust').split(',').map(parseCandidate),
  seeds: SEEDS,
  hidden: Number(opt('hidden', '64')),
  context: Number(opt('context', '10')),
  epochs: Number(opt('epochs', '10')),
  patience: Number(opt('patience', '0')),
  innerCv: flag('inner-cv'),
  nestedRecipe: flag('nested-recipe'),
  upperBound: flag('upper-bound'),
  boundSeeds: intOpt('bound-seeds', SEEDS),
  adapt: flag('adapt'),
  adaptSeeds: intOpt('adapt-seeds', SEEDS),
  ensemble: intOpt('ensemble', 3, 2),
  runs: resolve(opt('runs', join(ROOT, 'scratch', 'kpi-unseen'))),
  out: outDir(),
};
const JOBS = intOpt('jobs', 2);

/** The command as it defines the result: the data directory as DIR, without the sharding switches. */
function shownArgs(): string[] {
  return withoutShardArgs().filter((a) => a !== '--partial').map((a, i, all) => (all[i - 1] === '--data' ? 'DIR' : a));
}

/**
 * The nested recipe choice's trainings, fold by fold so that each outer file's result is complete
 * as early as possible: the pairs of files it leaves out with each other file (inner; a pair
 * already planned is not planned again), then its outer trainings; every candidate member each.
 */
function nestedJobs(files: FcciqFile[], recipeInputs: Candidate): Job[] {
  const jobs: Job[] = [];
  files.forEach((_, leftOut) => {
    for (let inner = leftOut + 1; inner < files.length; inner++) {
      for (const m of nestedMembers()) jobs.push({ kind: 'inner', leftOut, inner, arch: m.arch, candidate: recipeInputs, seed: m.seed });
    }
    for (const m of nestedMembers()) jobs.push({ kind: 'outer', leftOut, inner: null, arch: m.arch, candidate: recipeInputs, seed: m.seed });
  });
  return jobs;
}

/** Every training of the sweep, in order, each once (by name). */
function plan(files: FcciqFile[], s: UnseenSettings): Job[] {
  const jobs: Job[] = [];
  const [recipeArch, ...otherArchs] = s.archs;
  const [recipeInputs, ...otherInputs] = s.candidates;
  if (s.nestedRecipe) jobs.push(...nestedJobs(files, recipeInputs));
  // Inner runs first: they choose the candidate whose outer runs matter. One training per pair of files left out.
  if (s.innerCv) for (const candidate of s.candidates) files.forEach((_, leftOut) => files.forEach((__, inner) => {
    if (inner > leftOut) jobs.push({ kind: 'inner', leftOut, inner, arch: recipeArch, candidate, seed: 1 });
  }));
  const outer = (arch: string, candidate: Candidate, seed: number) =>
    files.forEach((_, leftOut) => jobs.push({ kind: 'outer', leftOut, inner: null, arch, candidate, seed }));
  for (let seed = 1; seed <= s.seeds; seed++) outer(recipeArch, recipeInputs, seed);
  for (const candidate of otherInputs) outer(recipeArch, candidate, 1);
  for (const arch of otherArchs) outer(arch, recipeInputs, 1);
  if (s.upperBound) for (let seed = 1; seed <= s.boundSeeds; seed++) {
    files.forEach((_, leftOut) => jobs.push({ kind: 'bound', leftOut, inner: null, arch: recipeArch, candidate: recipeInputs, seed }));
  }
  // Adaptation starts from the outer runs' saved models, so it comes after them.
  if (s.adapt) for (let seed = 1; seed <= s.adaptSeeds; seed++) {
    files.forEach((_, leftOut) => jobs.push({ kind: 'adapt', leftOut, inner: null, arch: recipeArch, candidate: recipeInputs, seed }));
  }
  const names = jobs.map((j) => jobName(j, files, s));
  return jobs.filter((_, k) => names.indexOf(names[k]) === k);
}

async function main(): Promise<void> {
  const s = SETTINGS;
  for (const a of s.archs) if (!isKpiArch(a)) throw new Error(`--archs: unknown architecture '${a}'`);
  const { shard, merge } = shardOptionsOrExit('kpi:unseen');
  if (flag('partial') && !merge) usageFail('--partial: only with --merge (a report from the finished runs)');
  const paths = listFcciqFiles(resolve(DATA));
  const { files } = loadFcciqFiles(resolve(DATA));
  const jobs = plan(files, s);
  const finished = (j: Job) => runNames(j, files, s).every((n) => existsSync(join(s.runs, `${n}.json`)));
  const done = jobs.filter(finished).length;
  const count = (kind: Job['kind']) => jobs.filter((j) => j.kind === kind).length;
  if (!merge) process.stderr.write(`kpi:unseen: ${jobs.length} trainings planned (${count('outer')} outer, ${count('inner')} inner, ${count('bound')} upper bound, ${count('adapt')} adapted): ${done} finished, ${jobs.length - done} to run\n`);
  if (merge) {
    if (!flag('partial')) requireAllRuns('kpi:unseen', jobs.filter((j) => !finished(j)).map((j) => jobName(j, files, s)), jobs.length);
  } else if (!shard && JOBS > 1) {
    await runShardProcesses('kpi:unseen', fileURLToPath(import.meta.url), withoutShardArgs(), JOBS);
  } else {
    await initEngine();
    mkdirSync(s.runs, { recursive: true });
    for (const j of shard ? inShard(jobs, shard) : jobs) if (!finished(j)) runJob(j, files, s);
    if (shard) {
      process.stderr.write(`kpi:unseen: shard ${shard.index}/${shard.count} done; --merge writes the report once all shards are done\n`);
      return;
    }
  }
  writeReport(files, paths, s, shownArgs(), { planned: jobs.length, missing: jobs.filter((j) => !finished(j)).length });
}

main().catch((err: unknown) => {
  process.stderr.write(`kpi:unseen: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
