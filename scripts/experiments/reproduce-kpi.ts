/**
 * `npm run reproduce:kpi [-- options]`: trains the six KPI architectures over several
 * seeds and writes the report (--out; `--out results/kpi` updates the committed one). Resumable: each (arch, seed) run lives
 * in <runs>/<arch>/seed-<s>/, checkpoints after every epoch, and is skipped once its
 * model.json exists; an interrupted run continues from its last epoch. Two runs go at
 * once in two child processes (`nice -n 5`), the cores being shared.
 * A wall-clock budget stops launching new runs (running ones finish); --deadline
 * (minutes) interrupts running ones (they resume next time). The report is written
 * from whatever has finished, with the budget actually used.
 *
 * Options: --data DIR (data/fcciq) --out DIR (scratch/reproduce-kpi) --runs DIR
 * (scratch/kpi-runs) --seeds N (3) --hidden H (64) --context C (0: whole window) --epochs E (20) --epochs-multi E
 * (12, for the four-LSTM stl and cross-stitch) --patience P (5) --ema D (0: off) --jobs J (2)
 * --budget-minutes M (75) --deadline-minutes M (off) --archs a,b --models DIR (scratch/reproduce-kpi/models;
 * `--models models` replaces the shipped model: the best architecture's best-validation seed is copied to DIR/kpi-<arch>/)
 * --report-only.
 * Sharded over machines (shared --runs): --shard I/N (shards numbered 1..N) runs only run k
 * (0-based, seed-major order) with k mod N = I - 1 and writes no report; or --shard-index-env
 * NAME --shards N takes the 0-based index from the environment variable NAME (a Kubernetes
 * Indexed Job's JOB_COMPLETION_INDEX). Then --merge checks every run is there (else exit 2
 * listing the missing ones) and writes the report (scripts/shared/shard.ts).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, appendFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { existingDir, opt, flag, outDir, readScriptOptions, scratchDir, DEFAULT_FCCIQ_DIR, ROOT } from '../shared/lib.js';
import { requireAllRuns, SHARD_OPTIONS, shardOptionsOrExit, withoutShardArgs } from '../shared/shard-option.js';
import { inShard } from '../shared/shard.js';

readScriptOptions({
  name: 'reproduce:kpi',
  summary: 'Trains the six KPI architectures over several seeds (resumable, two child processes, a wall-clock budget) and writes the report and charts.',
  options: {
    data: { value: 'DIR', help: 'FccIQ CSV folder (default data/fcciq)' },
    out: { value: 'DIR', help: 'where to write the report (default scratch/reproduce-kpi; results/kpi updates the committed results)' },
    runs: { value: 'DIR', help: 'the runs, for resuming (default scratch/kpi-runs)' },
    models: { value: 'DIR', help: "where the best architecture's best seed is copied as kpi-<arch> (default scratch/reproduce-kpi/models; models replaces the shipped one)" },
    'no-model': { help: 'copy no model' },
    seeds: { value: 'N', help: 'seeds per architecture (default 3)' },
    hidden: { value: 'H', help: 'LSTM hidden size (default 64)' },
    context: { value: 'C', help: 'LSTM context in steps (default 0: the whole window)' },
    epochs: { value: 'E', help: 'maximum epochs (default 20)' },
    'epochs-multi': { value: 'E', help: 'maximum epochs of the four-LSTM stl and cross-stitch (default 12)' },
    patience: { value: 'P', help: 'early-stopping patience (default 5)' },
    weighting: { value: 'W', help: 'task weighting (default equal)' },
    ema: { value: 'D', help: 'weight EMA decay (default 0: off)' },
    jobs: { value: 'J', help: 'runs at once (default 2)' },
    'budget-minutes': { value: 'M', help: 'launch no run after M minutes (default 75)' },
    'deadline-minutes': { value: 'M', help: 'interrupt running runs after M minutes (default off)' },
    archs: { value: 'a,b', help: 'architectures (default mmoe,ple,hard-sharing,attention,stl,cross-stitch)' },
    'report-only': { help: 'write the report from the finished runs, train nothing' },
    worker: { help: 'internal: train one run (--arch, --seed) in this process' },
    arch: { value: 'A', help: 'internal, with --worker' },
    seed: { value: 'S', help: 'internal, with --worker' },
    ...SHARD_OPTIONS,
  },
});
const DATA = existingDir('data', DEFAULT_FCCIQ_DIR);
const OUT = flag('worker') ? '' : outDir();
const RUNS = resolve(opt('runs', join(ROOT, 'scratch', 'kpi-runs')));
const MODELS = resolve(opt('models', join(scratchDir(), 'models')));
const SEEDS = Number(opt('seeds', '3'));
const HIDDEN = Number(opt('hidden', '64'));
/** LSTM context (last steps of each 35-step window); 0 = the whole window. */
const CONTEXT = Number(opt('context', '0'));
const EPOCHS = Number(opt('epochs', '20'));
const EPOCHS_MULTI = Number(opt('epochs-multi', '12'));
const PATIENCE = Number(opt('patience', '5'));
const JOBS = Number(opt('jobs', '2'));
const BUDGET_MIN = Number(opt('budget-minutes', '75'));
const DEADLINE_MIN = Number(opt('deadline-minutes', '0'));
const WEIGHTING = opt('weighting', 'equal');
const EMA = Number(opt('ema', '0'));
const MULTI_LSTM = new Set(['stl', 'cross-stitch']);

interface Job {
  arch: string;
  seed: number;
  epochs: number;
}

const runDir = (j: { arch: string; seed: number }) => join(RUNS, j.arch, `seed-${j.seed}`);

async function worker(): Promise<void> {
  const { initEngine } = await import('../../src/dnn/engine.js');
  const { runKpiTraining } = await import('../../src/dnn/kpi/pipeline.js');
  const { PREDICTIONS_FILE } = await import('../../src/dnn/kpi/report.js');
  const { predictKpi } = await import('../../src/dnn/kpi/predict.js');
  const { onEpochs } = await import('../../src/dnn/training/events.js');
  const { loadKpiDataset } = await import('../../src/datasets/kpi/fcciq.js');
  const backend = await initEngine();
  const arch = opt('arch', '');
  const seed = Number(opt('seed', '1'));
  const epochs = Number(opt('epochs', '20'));
  const dir = runDir({ arch, seed });
  mkdirSync(dir, { recursive: true });
  const log = (s: string) => appendFileSync(join(dir, 'train.log'), `${new Date().toISOString()} ${s}\n`);
  const data = loadKpiDataset(DATA);
  log(`start ${arch} seed ${seed} epochs ${epochs} patience ${PATIENCE} H ${HIDDEN} backend ${backend}`);
  const manifest = runKpiTraining({
    arch: arch as never, dataDir: DATA, out: dir, epochs, hidden: HIDDEN, context: CONTEXT || undefined, seed, weighting: WEIGHTING as never, patience: PATIENCE, ema: EMA, backend, data,
    onEvent: onEpochs((l) => log(`epoch ${l.epoch} train ${l.trainLoss.toFixed(4)} val ${l.valLoss.toFixed(4)} val acc ${(100 * l.valAccuracy).toFixed(2)} val reg ${l.valRegLoss.toExponential(3)} ${l.seconds.toFixed(1)}s${l.best ? ' *' : ''}`)),
    // Test predictions of one file (the first with interference in its test part) for the plot, saved with the model.
    sidecars: (model, mf) => {
      const { reg, prob } = predictKpi(model, data.test);
      const fi = Math.max(0, data.files.findIndex((f) => f.positives.test > 0));
      const sc = mf.scalers[data.files[fi].name];
      const phys = (v: number) => v * (sc.max[2] - sc.min[2] || 1) + sc.min[2];
      const idx = Array.from({ length: data.test.count }, (_, i) => i).filter((i) => data.test.source[i] === fi);
      return {
        [PREDICTIONS_FILE]: JSON.stringify({
          file: data.files[fi].name,
          sinrTrue: idx.map((i) => phys(data.test.y[i * 3 + 2])),
          sinrPred: idx.map((i) => phys(reg[i * 3 + 2])),
          sinrLast: idx.map((i) => phys(data.test.last[i * 3 + 2])),
          probInterference: idx.map((i) => prob[i]),
          label: idx.map((i) => data.test.label[i]),
          testProb: Array.from(prob),
          testLabel: Array.from(data.test.label),
        }),
      };
    },
  }).manifest;
  log(`done: test accuracy ${(100 * manifest.test.metrics.accuracy).toFixed(2)}%`);
}

function runJob(j: Job): { promise: Promise<number>; kill: () => void } {
  const script = fileURLToPath(import.meta.url);
  const args = ['-n', '5', process.execPath, '--import', 'tsx', script, '--worker', '--arch', j.arch, '--seed', String(j.seed), '--epochs', String(j.epochs),
    '--data', DATA, '--runs', RUNS, '--hidden', String(HIDDEN), '--context', String(CONTEXT), '--patience', String(PATIENCE), '--weighting', WEIGHTING, '--ema', String(EMA)];
  const child = spawn('nice', args, { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  return {
    promise: new Promise((res) => child.on('exit', (code) => res(code ?? 1))),
    kill: () => child.kill('SIGTERM'),
  };
}

/** Event metrics of a run's test probabilities on --data's test split; its saved labels must be that split's windows'. */
async function testSplitScorer(): Promise<import('../../src/detection/reproduction-events.js').TestSplitScorer> {
  const { loadKpiDataset } = await import('../../src/datasets/kpi/fcciq.js');
  const { testSplitEvents } = await import('../../src/detection/window-events.js');
  const test = loadKpiDataset(DATA).test;
  return (probability, label) => {
    if (label.length !== test.count || label.some((y, i) => y !== test.label[i])) throw new Error(`a run's saved test labels are not the ${test.count} test windows of ${DATA}`);
    return testSplitEvents(DATA, test, probability);
  };
}

async function report(startedAt: number, launched: Job[], skipped: Job[], pending: Job[]): Promise<void> {
  const { copyModel, modelExists, modelFilePath, readModelJson } = await import('../../src/dnn/model-io.js');
  const { writeReport, readPredictions } = await import('../../src/dnn/kpi/report.js');
  const runs = [];
  const preds = new Map();
  if (existsSync(RUNS)) {
    for (const arch of readdirSync(RUNS)) {
      for (const s of readdirSync(join(RUNS, arch))) {
        const dir = join(RUNS, arch, s);
        if (!modelExists(dir)) continue;
        const { json } = readModelJson(dir);
        const manifest = json.manifest as never as import('../../src/dnn/kpi/model.js').KpiModelManifest;
        if (manifest.arch === 'ensemble' || manifest.config.hidden !== HIDDEN) continue;
        if ((manifest.config.context ?? manifest.window) !== (CONTEXT || manifest.window)) continue;
        const sizeBytes = ['model.json', 'weights.bin'].reduce((a, f) => a + statSync(modelFilePath(dir, f)).size, 0);
        runs.push({ arch: manifest.arch, seed: manifest.config.seed, dir, manifest, sizeBytes });
        const p = readPredictions(dir);
        if (p) preds.set(dir, p);
      }
    }
  }
  if (runs.length === 0) {
    process.stderr.write('reproduce:kpi: no finished runs yet; nothing to report\n');
    return;
  }
  const trainSecondsAll = runs.reduce((a, r) => a + r.manifest.training.trainSeconds, 0);
  const budget = {
    hidden: HIDDEN, context: CONTEXT || 'whole window', seedsRequested: SEEDS, maxEpochs: EPOCHS, maxEpochsStlCrossStitch: EPOCHS_MULTI, patience: PATIENCE, ema: EMA, weighting: WEIGHTING,
    parallelJobs: JOBS, budgetMinutes: BUDGET_MIN, wallMinutesThisInvocation: +((Date.now() - startedAt) / 60000).toFixed(1),
    trainingWallSecondsAllRuns: Math.round(trainSecondsAll), finishedRuns: runs.length, runsLaunchedThisInvocation: launched.length,
    runsSkippedAsFinished: skipped.length, runsNotRun: pending.map((j) => `${j.arch}/seed-${j.seed}`), cores: cpus().length, loadAverageAtEnd: loadavg().map((v) => +v.toFixed(2)),
  };
  const cmd = `npm run reproduce:kpi -- ${withoutShardArgs().join(' ')}`.trim();
  mkdirSync(OUT, { recursive: true });
  const { eventsSection, reportEvents } = await import('../../src/detection/reproduction-events.js');
  const events = reportEvents(runs, preds, await testSplitScorer());
  await writeReport(OUT, runs, preds, { command: cmd, budget, ...(events && { events: { section: eventsSection(events), json: events } }) });
  // Best architecture by mean test accuracy over its seeds (at least the most seeds run); its best-validation seed is the served model.
  const byArch = new Map<string, typeof runs>();
  for (const r of runs) byArch.set(r.arch, [...(byArch.get(r.arch) ?? []), r]);
  const maxSeeds = Math.max(...[...byArch.values()].map((v) => v.length));
  let best: { arch: string; acc: number } | undefined;
  for (const [arch, rs] of byArch) {
    if (rs.length < maxSeeds) continue;
    const acc = rs.reduce((a, r) => a + r.manifest.test.metrics.accuracy, 0) / rs.length;
    if (!best || acc > best.acc) best = { arch, acc };
  }
  if (best && !flag('no-model')) {
    const rs = byArch.get(best.arch) ?? [];
    const pick = rs.sort((a, b) => a.manifest.training.bestValLoss - b.manifest.training.bestValLoss)[0];
    const dest = join(MODELS, `kpi-${best.arch}`);
    copyModel(pick.dir, dest);
    process.stderr.write(`reproduce:kpi: best architecture ${best.arch} (mean test accuracy ${(100 * best.acc).toFixed(2)}%), seed ${pick.seed} -> ${dest}\n`);
  }
  process.stderr.write(`reproduce:kpi: report written to ${OUT}\n`);
}

async function main(): Promise<void> {
  if (flag('worker')) return worker();
  const { shard, merge } = shardOptionsOrExit('reproduce:kpi');
  const startedAt = Date.now();
  const archs = opt('archs', 'mmoe,ple,hard-sharing,attention,stl,cross-stitch').split(',');
  // Seed-major order: every architecture gets seed 1 before any gets seed 2.
  const all: Job[] = [];
  for (let s = 1; s <= SEEDS; s++) for (const a of archs) all.push({ arch: a, seed: s, epochs: MULTI_LSTM.has(a) ? EPOCHS_MULTI : EPOCHS });
  const { modelExists } = await import('../../src/dnn/model-io.js');
  const mine = shard ? inShard(all, shard) : all;
  const skipped = mine.filter((j) => modelExists(runDir(j)));
  const queue = mine.filter((j) => !skipped.includes(j));
  const launched: Job[] = [];
  if (merge) {
    requireAllRuns('reproduce:kpi', all.filter((j) => !modelExists(runDir(j))).map((j) => `${j.arch}/seed-${j.seed}`), all.length);
  } else if (!flag('report-only')) {
    const running = new Set<{ promise: Promise<number>; kill: () => void }>();
    const budgetEnd = startedAt + BUDGET_MIN * 60000;
    let deadlineTimer: NodeJS.Timeout | undefined;
    if (DEADLINE_MIN > 0) {
      deadlineTimer = setTimeout(() => {
        process.stderr.write('reproduce:kpi: deadline reached, interrupting running jobs (they resume next time)\n');
        queue.length = 0;
        for (const r of running) r.kill();
      }, DEADLINE_MIN * 60000);
    }
    await new Promise<void>((done) => {
      const next = () => {
        while (running.size < JOBS && queue.length > 0 && Date.now() < budgetEnd) {
          const j = queue.shift() as Job;
          launched.push(j);
          process.stderr.write(`reproduce:kpi: start ${j.arch} seed ${j.seed} (max ${j.epochs} epochs)\n`);
          const r = runJob(j);
          running.add(r);
          r.promise.then((code) => {
            running.delete(r);
            process.stderr.write(`reproduce:kpi: ${j.arch} seed ${j.seed} exited ${code}\n`);
            next();
          });
        }
        if (running.size === 0) done();
      };
      next();
    });
    if (deadlineTimer) clearTimeout(deadlineTimer);
  }
  if (shard) {
    const finished = mine.filter((j) => modelExists(runDir(j))).length;
    process.stderr.write(`reproduce:kpi: shard ${shard.index}/${shard.count}: ${finished} of its ${mine.length} runs finished; --merge writes the report once all shards are done\n`);
    return;
  }
  const pending = all.filter((j) => !modelExists(runDir(j)));
  await report(startedAt, launched, skipped, pending);
}

main().catch((err: unknown) => {
  process.stderr.write(`reproduce:kpi: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
