/**
 * `npm run study:allocation [-- options]`: the routed-MTL paper's open questions, measured
 * (docs/allocation.md, "Open questions"): task weighting, imperfect channel knowledge (noisy
 * and missing gains, against the exact solver applied to the estimate), and the router's
 * sensitivity to gamma and to the phase-1/phase-2 split. 9 points x 3 seeds of the routed
 * scheme (scripts/study-allocation-design.ts), one training at a time in this process.
 *
 * Resumable: every run is a folder <runs>/<point>/seed<k>/ holding the model, its checkpoint
 * while training and study.json once evaluated; the same command continues where it stopped.
 * Sharded like the reproductions: `--shard I/N` runs every N-th run and writes no report;
 * `--merge` writes the report once every run is there (`--merge --partial`: from the runs that
 * are, naming the missing ones). The report goes to --out (default scratch/study-allocation;
 * `--out results/allocation/open-questions` replaces the committed one): README.md (tables
 * with the seed spread), one Vega-Lite chart per question (.svg beside its .vl.json) and
 * study.json with every number.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { datasetExists } from '../../src/datasets/allocation/dataset-files.js';
import { generateDataset } from '../../src/datasets/allocation/generate.js';
import { loadAllocationData } from '../../src/dnn/allocation/data.js';
import { FDMA_DELAY_DEFAULTS, PAPER_SIZES, SUM_CAPACITY_DEFAULTS, type Problem } from '../../src/solvers/params.js';
import { flag, intOpt, opt, outDir, readScriptOptions, ROOT, usageFail } from '../shared/lib.js';
import { inShard } from '../shared/shard.js';
import { SHARD_OPTIONS, shardOptionsOrExit, withoutShardArgs } from '../shared/shard-option.js';
import { RUNS as ALL_RUNS, runId, type StudyRun } from './study-allocation-design.js';
import { readRunResult, trainAndEvaluate, type RunResult } from './study-allocation-runs.js';
import { writeStudyReport } from './study-allocation-report.js';

readScriptOptions({
  name: 'study:allocation',
  summary: "The routed-MTL paper's open questions (task weighting, noisy and missing gains, router gamma and phase split): 9 points x 3 seeds, resumable and sharded; writes tables, charts and one JSON.",
  options: {
    steps: { value: 'S', help: 'training steps per run, t1 + t2 (default 10000, the paper\'s budget)' },
    data: { value: 'DIR', help: 'the allocation dataset, generated there when absent (default <runs>/data; seed 1, 30k/10k per task)' },
    runs: { value: 'DIR', help: 'the trained runs, for resuming (default runs/study-allocation)' },
    out: { value: 'DIR', help: 'where to write the report (default scratch/study-allocation; results/allocation/open-questions updates the committed one)' },
    'ref-samples': { value: 'N', help: 'Monte-Carlo samples of the sum-capacity optimum (default 1000000)' },
    partial: { help: 'with --merge: write the report from the finished runs, naming the missing ones' },
    ...SHARD_OPTIONS,
  },
});
const { shard, merge } = shardOptionsOrExit('study:allocation');
const STEPS = intOpt('steps', 10000, 2);
const RUNS_DIR = resolve(opt('runs', join(ROOT, 'runs', 'study-allocation')));
const DATA = resolve(opt('data', join(RUNS_DIR, 'data')));
const OUT = outDir();
const REF_SAMPLES = intOpt('ref-samples', 1_000_000, 0);
const PARTIAL = flag('partial');
if (PARTIAL && !merge) usageFail('--partial: only with --merge');

const log = (line: string) => process.stderr.write(`[study:allocation ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
const runDir = (r: StudyRun) => join(RUNS_DIR, r.point.id, `seed${r.seed}`);

function ensureDataset(): void {
  for (const problem of ['fdma-delay', 'sum-capacity'] as Problem[]) {
    if (datasetExists(DATA, problem)) continue;
    if (shard) usageFail(`--shard: no ${problem} dataset in ${DATA}: shards share one dataset, write it first with 'radio-mtl dataset --problem fdma-delay,sum-capacity --n 5,8,10,12,15,18,20 --train 30000 --test 10000 --seed 1 --out ${DATA}'`);
    log(`generating the ${problem} dataset in ${DATA} (seed 1, 30000/10000 per task)`);
    generateDataset(DATA, { problem, sizes: [...PAPER_SIZES], counts: { train: 30000, test: 10000 }, seed: 1, params: problem === 'fdma-delay' ? { ...FDMA_DELAY_DEFAULTS } : { ...SUM_CAPACITY_DEFAULTS } });
  }
}

/** Trains and evaluates `runs` in order; a run that fails (e.g. diverges) is logged and left missing, the others go on. Returns the failures. */
async function trainRuns(runs: readonly StudyRun[]): Promise<string[]> {
  const { initEngine } = await import('../../src/dnn/engine.js');
  const backend = await initEngine();
  const data = loadAllocationData(DATA);
  const failures: string[] = [];
  for (const [i, run] of runs.entries()) {
    if (readRunResult(runDir(run), run, STEPS)) {
      log(`${runId(run)}: finished before, skipped`);
      continue;
    }
    const t0 = Date.now();
    log(`${runId(run)} (${i + 1}/${runs.length}): training ${STEPS} steps and evaluating`);
    try {
      trainAndEvaluate(run, runDir(run), data, STEPS, backend);
      log(`${runId(run)}: done in ${((Date.now() - t0) / 60000).toFixed(1)} min`);
    } catch (err) {
      failures.push(`${runId(run)}: ${err instanceof Error ? err.message : String(err)}`);
      log(`${runId(run)}: FAILED, left missing: ${failures[failures.length - 1]}`);
    }
  }
  return failures;
}

async function report(): Promise<void> {
  const results: RunResult[] = [];
  const missing: string[] = [];
  for (const run of ALL_RUNS) {
    const r = readRunResult(runDir(run), run, STEPS);
    if (r) results.push(r);
    else missing.push(runId(run));
  }
  if (missing.length && !PARTIAL && merge) usageFail(`--merge: ${missing.length} of ${ALL_RUNS.length} runs missing: ${missing.join(', ')} (--partial reports without them)`);
  if (!results.length) usageFail('no run has finished: nothing to report');
  mkdirSync(OUT, { recursive: true });
  await writeStudyReport({ out: OUT, data: loadAllocationData(DATA), results, missing, steps: STEPS, refSamples: REF_SAMPLES, command: `npm run study:allocation -- ${withoutShardArgs().join(' ')}`.trim() });
  log(`report written to ${OUT}`);
}

async function main(): Promise<void> {
  const t0 = Date.now();
  if (!merge) {
    ensureDataset();
    const mine = shard ? inShard(ALL_RUNS, shard) : ALL_RUNS;
    if (shard) log(`shard ${shard.index}/${shard.count}: ${mine.length} of ${ALL_RUNS.length} runs`);
    const failures = await trainRuns(mine);
    if (failures.length) process.exitCode = 1;
    if (shard) {
      log(`shard done in ${((Date.now() - t0) / 60000).toFixed(1)} min${failures.length ? `, ${failures.length} run(s) FAILED` : ''}; run with --merge once every shard has finished`);
      return;
    }
  }
  await report();
  log(`done in ${((Date.now() - t0) / 60000).toFixed(1)} min`);
}

main().catch((err: unknown) => {
  process.stderr.write(`study:allocation: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
