/**
 * `npm run reproduce:allocation [-- options]`: the routed-MTL paper's Tables II and III.
 *
 * 1. Generates the dataset (seed 1, 30k train / 10k test per task, both problems, N in
 *    {5,...,20}) into <runs>/data unless it is there.
 * 2. Trains the four schemes (routed, naive, zero-padding, single-task) with
 *    `radio-mtl train allocation`, two at a time in child processes (`nice -n 5`).
 *    Resumable: a scheme whose saved model has metrics.json and the same budget
 *    and seed is skipped; an interrupted scheme is retrained.
 * 3. Writes --out (default scratch/reproduce-allocation/; `--out results/allocation` updates the
 *    committed report): README.md (src/dnn/allocation/report.ts), tables.json,
 *    and the charts of src/dnn/allocation/plots.ts (test curves per N, mask overlap; each
 *    an .svg plus its Vega-Lite .vl.json); copies the routed model to --models (default
 *    scratch/reproduce-allocation/models/allocation-routed; `--models models/allocation-routed` replaces the shipped one).
 *
 * Options: --t1 S (5000) --t2 S (5000) --seed K (1) --jobs J (2) --schemes a,b
 * --data DIR (<runs>/data) --runs DIR (runs/allocation) --out DIR (scratch/reproduce-allocation)
 * --models DIR (scratch/reproduce-allocation/models/allocation-routed) --ref-samples N (1000000) --report-only
 * --train-args "..." (extra `train allocation` options, same for every scheme).
 *
 * Sharded (several processes or machines on a shared --runs): `--shard I/N` (1..N) trains
 * only shard I's schemes (scripts/shared/shard.ts) and writes no report; it needs the dataset
 * first (`radio-mtl dataset --out <data>` writes the same one, and can itself be sharded).
 * `--merge` then checks every scheme of --schemes is trained and writes the report.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, openSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { writeFileAtomic } from '../../src/io/atomic-write.js';
import { datasetExists } from '../../src/datasets/allocation/dataset-files.js';
import { generateDataset } from '../../src/datasets/allocation/generate.js';
import { copyModel, modelExists, readModelJson, readModelSidecar } from '../../src/dnn/model-io.js';
import { FDMA_DELAY_DEFAULTS, PAPER_SIZES, SUM_CAPACITY_DEFAULTS, type Problem } from '../../src/solvers/params.js';
import { allocationReportMarkdown, type MaskOverlap, type SchemeMetrics } from '../../src/dnn/allocation/report.js';
import type { CurvePoint } from '../../src/dnn/allocation/trainer.js';
import type { AllocationManifest } from '../../src/dnn/allocation/model.js';
import { writeCurveCharts, writeMaskChart } from '../../src/dnn/allocation/plots.js';
import { SCHEMES as ALL_SCHEMES, type Scheme } from '../../src/dnn/allocation/tasks.js';
import { VERSION } from '../../src/version.js';
import { argv, opt, flag, outDir, readScriptOptions, ROOT, runPool, scratchDir } from '../shared/lib.js';
import { inShard, parseShard } from '../shared/shard.js';

/** A problem with the command line: one line, exit code 2. */
class UsageError extends Error {}


readScriptOptions({
  name: 'reproduce:allocation',
  summary: "The routed-MTL paper's Tables II and III: generates the dataset, trains the four schemes (resumable), writes the report and charts, copies the routed model.",
  options: {
    t1: { value: 'S', help: 'phase-1 steps (default 5000)' },
    t2: { value: 'S', help: 'phase-2 steps (default 5000)' },
    seed: { value: 'K', help: 'seed (default 1)' },
    jobs: { value: 'J', help: 'schemes trained at once (default 2)' },
    schemes: { value: 'a,b', help: `schemes (default ${ALL_SCHEMES.join(',')})` },
    data: { value: 'DIR', help: 'the allocation dataset, generated there when absent (default <runs>/data)' },
    runs: { value: 'DIR', help: 'trained schemes, for resuming (default runs/allocation)' },
    out: { value: 'DIR', help: 'where to write the report (default scratch/reproduce-allocation; results/allocation updates the committed results)' },
    models: { value: 'DIR', help: 'where to copy the routed model (default scratch/reproduce-allocation/models/allocation-routed)' },
    'ref-samples': { value: 'N', help: 'Monte-Carlo samples of the sum-capacity reference (default 1000000)' },
    'train-args': { value: '"..."', help: 'extra `train allocation` options, the same for every scheme' },
    'report-only': { help: 'write the report from the trained schemes, train nothing' },
    shard: { value: 'I/N', help: "train only shard I's schemes (1..N) and write no report" },
    merge: { help: 'after every shard: check every scheme is trained and write the report' },
  },
});
const RUNS = resolve(opt('runs', join(ROOT, 'runs', 'allocation')));
const DATA = resolve(opt('data', join(RUNS, 'data')));
const OUT = outDir();
const MODELS = resolve(opt('models', join(scratchDir(), 'models', 'allocation-routed')));
const T1 = Number(opt('t1', '5000'));
const T2 = Number(opt('t2', '5000'));
const SEED = Number(opt('seed', '1'));
const JOBS = Math.max(1, Number(opt('jobs', '2')));
const REF_SAMPLES = Number(opt('ref-samples', '1000000'));
const TRAIN_ARGS = opt('train-args', '').split(/\s+/).filter(Boolean);
const SCHEMES = opt('schemes', ALL_SCHEMES.join(',')).split(',') as Scheme[];
const MERGE = flag('merge');
const SHARD_TEXT = opt('shard', '');

const runDir = (s: Scheme) => join(RUNS, s);
const log = (line: string) => process.stderr.write(`[reproduce:allocation ${new Date().toISOString().slice(11, 19)}] ${line}\n`);

function ensureDataset(): void {
  for (const problem of ['fdma-delay', 'sum-capacity'] as Problem[]) {
    if (datasetExists(DATA, problem)) continue;
    log(`generating ${problem} dataset in ${DATA} (seed 1, 30000/10000 per task)`);
    generateDataset(DATA, {
      problem,
      sizes: [...PAPER_SIZES],
      counts: { train: 30000, test: 10000 },
      seed: 1,
      params: problem === 'fdma-delay' ? { ...FDMA_DELAY_DEFAULTS } : { ...SUM_CAPACITY_DEFAULTS },
    });
  }
}

function finished(s: Scheme): boolean {
  const dir = runDir(s);
  if (!modelExists(dir)) return false;
  try {
    const m = readModelJson<AllocationManifest>(dir).json.manifest;
    return readModelSidecar(dir, 'metrics.json') !== undefined && m.training.t1 === T1 && m.training.t2 === T2 && m.training.seed === SEED;
  } catch {
    return false;
  }
}

function train(s: Scheme): Promise<void> {
  const dir = runDir(s);
  mkdirSync(RUNS, { recursive: true });
  const logFile = join(RUNS, `${s}.log`);
  const fd = openSync(logFile, 'w');
  const args = [
    '-n', '5', process.execPath, '--import', 'tsx', join(ROOT, 'src', 'cli', 'bin.ts'),
    'train', 'allocation', '--scheme', s, '--data', DATA, '--out', dir,
    '--t1', String(T1), '--t2', String(T2), '--seed', String(SEED), '--ref-samples', String(REF_SAMPLES), ...TRAIN_ARGS,
  ];
  log(`training ${s} (log: ${relative(ROOT, logFile)})`);
  const started = Date.now();
  return new Promise((resolveRun, reject) => {
    const child = spawn('nice', args, { cwd: ROOT, stdio: ['ignore', fd, fd] });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0) {
        log(`${s} finished in ${((Date.now() - started) / 60000).toFixed(1)} min`);
        resolveRun();
      } else reject(new Error(`${s}: train allocation exited with ${code}; see ${logFile}`));
    });
  });
}

async function trainAll(schemes: readonly Scheme[]): Promise<void> {
  const todo = schemes.filter((s) => {
    if (finished(s)) {
      log(`${s}: already trained (${relative(ROOT, runDir(s))}), skipped`);
      return false;
    }
    return true;
  });
  const failures = await runPool(todo, JOBS, train);
  failures.forEach((err) => log(err.message));
  if (failures.length) throw new Error(`${failures.length} scheme(s) failed`);
}

/** The routed model's routing masks: overlap and density per task. */
async function routedMasks(): Promise<MaskOverlap> {
  const { initEngine } = await import('../../src/dnn/engine.js');
  const { loadAllocationNetwork } = await import('../../src/dnn/allocation/model.js');
  const { flatMasks, maskJaccard, maskDensity } = await import('../../src/dnn/allocation/masks.js');
  await initEngine();
  const { net, manifest } = loadAllocationNetwork(runDir('routed'));
  try {
    const masks = flatMasks(net);
    const labels = manifest.tasks.map((t) => `${t.problem === 'fdma-delay' ? 'delay' : 'capacity'} N=${t.n}`);
    return { tasks: manifest.tasks, labels, matrix: maskJaccard(masks), density: maskDensity(masks) };
  } finally {
    net.dispose();
  }
}

async function report(): Promise<void> {
  const order = ALL_SCHEMES.filter((s) => SCHEMES.includes(s) && finished(s));
  if (!order.length) throw new Error('no scheme has finished: nothing to report');
  const runs = order.map((scheme) => ({
    scheme,
    metrics: JSON.parse(readModelSidecar(runDir(scheme), 'metrics.json') ?? 'null') as SchemeMetrics,
    manifest: readModelJson<AllocationManifest>(runDir(scheme)).json.manifest,
  }));
  const curves = order.map((scheme) => ({ scheme, curve: JSON.parse(readModelSidecar(runDir(scheme), 'curve.json') ?? '{}').curve as CurvePoint[] }));
  const refs = runs[0].metrics.references;
  mkdirSync(OUT, { recursive: true });
  await writeCurveCharts(OUT, curves, refs, PAPER_SIZES);
  const tables: Record<string, unknown> = { generatedBy: 'scripts/experiments/reproduce-allocation.ts', argv, t1: T1, t2: T2, seed: SEED, toolVersion: VERSION, references: refs, schemes: Object.fromEntries(runs.map((r) => [r.scheme, r.metrics])) };
  let masks: MaskOverlap | undefined;
  if (order.includes('routed')) {
    masks = await routedMasks();
    await writeMaskChart(OUT, masks.labels, masks.matrix);
    tables.maskJaccard = { labels: masks.labels, matrix: masks.matrix, density: masks.density };
    copyModel(runDir('routed'), MODELS);
  }
  writeFileAtomic(join(OUT, 'tables.json'), `${JSON.stringify(tables, null, 2)}\n`);
  const markdown = allocationReportMarkdown({
    command: `npm run reproduce:allocation${argv.length ? ` -- ${argv.join(' ')}` : ''}`,
    date: new Date().toISOString().slice(0, 10),
    t1: T1, t2: T2, seed: SEED, refSamples: REF_SAMPLES, runs, masks,
    modelDir: masks ? relative(ROOT, MODELS) : undefined,
  });
  writeFileAtomic(join(OUT, 'README.md'), markdown);
  log(`report written to ${relative(ROOT, OUT)}/README.md`);
}

function requireDataset(): void {
  const missing = (['fdma-delay', 'sum-capacity'] as Problem[]).filter((problem) => !datasetExists(DATA, problem));
  if (missing.length) {
    throw new UsageError(`--shard: no ${missing.join(', ')} dataset in ${DATA}: shards share one dataset, write it first with 'radio-mtl dataset --out ${DATA}'`);
  }
}

async function main(): Promise<void> {
  const t0 = Date.now();
  for (const s of SCHEMES) if (!(ALL_SCHEMES as readonly string[]).includes(s)) throw new UsageError(`--schemes: unknown scheme '${s}'`);
  if (SHARD_TEXT && MERGE) throw new UsageError('--merge: runs after the shards, not with --shard');
  if (SHARD_TEXT) {
    let shard;
    try {
      shard = parseShard(SHARD_TEXT);
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    requireDataset();
    const mine = inShard(SCHEMES, shard);
    log(`shard ${shard.index}/${shard.count}: ${mine.length ? mine.join(', ') : 'no scheme'}`);
    await trainAll(mine);
    log(`shard done in ${((Date.now() - t0) / 60000).toFixed(1)} min; run with --merge once every shard has finished`);
    return;
  }
  if (MERGE) {
    const missing = SCHEMES.filter((s) => !finished(s));
    if (missing.length) throw new UsageError(`--merge: not trained yet in ${RUNS}: ${missing.join(', ')}`);
  } else if (!flag('report-only')) {
    ensureDataset();
    await trainAll(SCHEMES);
  }
  await report();
  log(`done in ${((Date.now() - t0) / 60000).toFixed(1)} min`);
}

main().catch((err: unknown) => {
  process.stderr.write(`reproduce:allocation: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = err instanceof UsageError ? 2 : 1;
});
