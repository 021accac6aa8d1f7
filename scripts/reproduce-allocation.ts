/**
 * `npm run reproduce:allocation [-- options]`: the routed-MTL paper's Tables II and III.
 *
 * 1. Generates the dataset (seed 1, 30k train / 10k test per task, both problems, N in
 *    {5,...,20}) into <runs>/data unless it is there.
 * 2. Trains the four schemes (routed, naive, zero-padding, single-task) with
 *    `radio-mtl train allocation`, two at a time in child processes (`nice -n 5`).
 *    Resumable: a scheme whose saved model has metrics.json and the same budget
 *    and seed is skipped; an interrupted scheme is retrained.
 * 3. Writes results/allocation/: README.md (tables, goals, timings), tables.json,
 *    curves-*.svg (test curves per N, like the paper's Figs. 5-8) and mask-jaccard.svg;
 *    copies the routed model to models/allocation-routed/.
 *
 * Options: --t1 S (5000) --t2 S (5000) --seed K (1) --jobs J (2) --schemes a,b
 * --data DIR (<runs>/data) --runs DIR (runs/allocation) --out DIR (results/allocation)
 * --models DIR (models/allocation-routed) --ref-samples N (1000000) --report-only
 * --train-args "..." (extra `train allocation` options, same for every scheme).
 *
 * Sharded (several processes or machines on a shared --runs): `--shard I/N` (1..N) trains
 * only shard I's schemes (scripts/shard.ts) and writes no report; it needs the dataset
 * first (`radio-mtl dataset --out <data>` writes the same one, and can itself be sharded).
 * `--merge` then checks every scheme of --schemes is trained and writes the report.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, openSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { writeFileAtomic } from '../src/io/atomic-write.js';
import { datasetExists } from '../src/datasets/dataset-files.js';
import { generateDataset } from '../src/datasets/generate.js';
import { copyModel, modelExists, readModelJson, readModelSidecar } from '../src/dnn/model-io.js';
import { FDMA_DELAY_DEFAULTS, PAPER_SIZES, SUM_CAPACITY_DEFAULTS, type Problem } from '../src/solvers/params.js';
import type { FdmaMetrics } from '../src/dnn/allocation/evaluate.js';
import type { ReferenceOptimum, SumCapacityRow } from '../src/dnn/allocation/report.js';
import type { CurvePoint } from '../src/dnn/allocation/trainer.js';
import type { AllocationManifest } from '../src/dnn/allocation/model.js';
import { heatMap, lineChart } from '../src/dnn/allocation/plots.js';
import { VERSION } from '../src/version.js';
import { argv, opt, flag, ROOT, runPool } from './lib.js';
import { inShard, parseShard } from './shard.js';

/** A problem with the command line: one line, exit code 2. */
class UsageError extends Error {}


const RUNS = resolve(opt('runs', join(ROOT, 'runs', 'allocation')));
const DATA = resolve(opt('data', join(RUNS, 'data')));
const OUT = resolve(opt('out', join(ROOT, 'results', 'allocation')));
const MODELS = resolve(opt('models', join(ROOT, 'models', 'allocation-routed')));
const T1 = Number(opt('t1', '5000'));
const T2 = Number(opt('t2', '5000'));
const SEED = Number(opt('seed', '1'));
const JOBS = Math.max(1, Number(opt('jobs', '2')));
const REF_SAMPLES = Number(opt('ref-samples', '1000000'));
const TRAIN_ARGS = opt('train-args', '').split(/\s+/).filter(Boolean);
const ALL_SCHEMES = ['routed', 'naive', 'zero-padding', 'single-task'] as const;
type SchemeName = (typeof ALL_SCHEMES)[number];
const SCHEMES = opt('schemes', ALL_SCHEMES.join(',')).split(',') as SchemeName[];
const MERGE = flag('merge');
const SHARD_TEXT = opt('shard', '');

/** The paper's numbers (Tables II and III), for comparison. */
const PAPER_TABLE_II: Record<SchemeName, number[]> = {
  'single-task': [0.0404, 0.0243, 0.0218, 0.0203, 0.0193, 0.0176, 0.0152],
  routed: [0.0425, 0.0351, 0.0353, 0.0287, 0.0247, 0.0203, 0.0171],
  naive: [0.2405, 0.1865, 0.138, 0.0965, 0.0689, 0.051, 0.0428],
  'zero-padding': [0.2216, 0.1025, 0.0659, 0.0434, 0.0264, 0.0183, 0.0178],
};
const PAPER_TABLE_III: Record<SchemeName, number[]> = {
  'single-task': [2.236, 2.797, 3.1053, 3.263, 3.515, 3.754, 3.883],
  routed: [2.233, 2.783, 3.047, 3.244, 3.5086, 3.7309, 3.863],
  naive: [2.075, 2.5064, 2.7618, 2.9531, 3.2135, 3.4437, 3.5729],
  'zero-padding': [0.9166, 1.4712, 1.842, 2.2043, 2.76, 3.3107, 3.6823],
};

interface SchemeMetrics {
  scheme: SchemeName;
  backend: string;
  steps: number;
  trainSeconds: number;
  stepMs: number;
  lambdas: number[];
  maskDensity?: number[];
  references: ReferenceOptimum[];
  fdmaDelay: FdmaMetrics[];
  sumCapacity: SumCapacityRow[];
}

const runDir = (s: SchemeName) => join(RUNS, s);
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

function finished(s: SchemeName): boolean {
  const dir = runDir(s);
  if (!modelExists(dir)) return false;
  try {
    const m = readModelJson<AllocationManifest>(dir).json.manifest;
    return readModelSidecar(dir, 'metrics.json') !== undefined && m.training.t1 === T1 && m.training.t2 === T2 && m.training.seed === SEED;
  } catch {
    return false;
  }
}

function train(s: SchemeName): Promise<void> {
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

async function trainAll(schemes: readonly SchemeName[]): Promise<void> {
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

const f2 = (x: number, d = 2) => x.toFixed(d);
const pct = (x: number, d = 2) => `${(100 * x).toFixed(d)}%`;
const LABEL: Record<SchemeName, string> = { 'single-task': 'single-task DNN', routed: 'routed multi-task DNN', naive: 'naive multi-task DNN', 'zero-padding': 'zero-padding' };

async function report(): Promise<void> {
  const done = SCHEMES.filter((s) => finished(s));
  if (!done.length) throw new Error('no scheme has finished: nothing to report');
  const metrics = new Map<SchemeName, SchemeMetrics>();
  const manifests = new Map<SchemeName, AllocationManifest>();
  const curves = new Map<SchemeName, CurvePoint[]>();
  for (const s of done) {
    metrics.set(s, JSON.parse(readModelSidecar(runDir(s), 'metrics.json') ?? 'null'));
    manifests.set(s, readModelJson<AllocationManifest>(runDir(s)).json.manifest);
    curves.set(s, JSON.parse(readModelSidecar(runDir(s), 'curve.json') ?? '{}').curve);
  }
  const order = ALL_SCHEMES.filter((s) => metrics.has(s));
  const sizes = [...PAPER_SIZES];
  const first = manifests.get(order[0])!;
  const refs = metrics.get(order[0])!.references;
  mkdirSync(OUT, { recursive: true });
  const L: string[] = [];
  const row = (cells: (string | number)[]) => L.push(`| ${cells.join(' | ')} |`);
  const header = (title: string) => {
    row([title, ...sizes.map((n) => `N = ${n}`)]);
    row(['---', ...sizes.map(() => '---:')]);
  };
  const fd = (s: SchemeName, n: number) => metrics.get(s)!.fdmaDelay.find((m) => m.n === n);
  const sc = (s: SchemeName, n: number) => metrics.get(s)!.sumCapacity.find((m) => m.n === n);

  L.push('# Routed multi-task DNN for power allocation: reproduction of Tables II and III');
  L.push('');
  L.push(`Generated by \`npm run reproduce:allocation${argv.length ? ` -- ${argv.join(' ')}` : ''}\` (scripts/reproduce-allocation.ts), radio-mtl ${VERSION}, ${new Date().toISOString().slice(0, 10)}.`);
  L.push(`Budget: t1 = ${T1}, t2 = ${T2} (routed: phase 1 + phase 2; other schemes: t1 + t2 steps of one phase), batch ${first.training.batchPerTask} per task, Adam lr ${first.training.learningRate}, seed ${SEED}.`);
  L.push(`Training options: dual step ${first.training.dualStep}, fdma-delay loss '${first.training.fdmaLoss}' + ${first.training.delayWeight} x relative delay gap, learning-rate decay from ${first.training.lrDecayStart} of the final phase to ${first.training.lrDecayFloor} x lr, inputs sorted: ${first.network.sortInputs ? 'yes' : 'no'}, rDNN hidden normalised: ${first.network.routerNorm ? 'yes' : 'no'}.`);
  L.push(`Data: 30000 train / 10000 test samples per task, seed ${first.data.seed}; manifest sha256 fdma-delay ${first.data.source['fdma-delay']?.slice(0, 12)}..., sum-capacity ${first.data.source['sum-capacity']?.slice(0, 12)}.... Backend: ${first.backend}.`);
  L.push(`Metrics on the full test split (10000 samples per task). Sum-capacity optimum: \`radio-mtl optimum --problem sum-capacity --samples ${refs[0]?.samples ?? REF_SAMPLES} --seed ${refs[0]?.seed ?? 1}\` (per-user budget 0.5 N W).`);
  L.push('See docs/allocation.md for the design, the deviations from the paper and how to run each step.');
  L.push('');
  L.push('## Training cost');
  L.push('');
  row(['scheme', 'parameters (inference)', 'rDNN parameters (training)', 'steps', 'train time', 'ms / step', 'backend']);
  row(['---', '---:', '---:', '---:', '---:', '---:', '---']);
  for (const s of order) {
    const m = metrics.get(s)!;
    const man = manifests.get(s)!;
    row([LABEL[s], man.parameterCount, man.routerParameterCount, m.steps, `${(m.trainSeconds / 60).toFixed(1)} min`, f2(m.stepMs), m.backend]);
  }
  L.push('');
  L.push('Step time is wall time of one step of all 14 tasks (14 x batch), measured while the machine was shared with other jobs (two training processes at once, `nice -n 5`).');
  L.push('');
  L.push('## Table II: fdma-delay (supervised)');
  L.push('');
  L.push('E[(f0(y) - f0(x*))^2], s^2 (the paper\'s metric; dominated by deep fades):');
  L.push('');
  header('scheme');
  for (const s of order) row([LABEL[s], ...sizes.map((n) => fd(s, n)?.delayMse.toExponential(2) ?? '-')]);
  for (const s of order) row([`paper: ${LABEL[s]}`, ...PAPER_TABLE_II[s].map((v) => String(v))]);
  L.push('');
  L.push('Median relative delay gap (f0(y) - f0(x*)) / f0(x*):');
  L.push('');
  header('scheme');
  for (const s of order) row([LABEL[s], ...sizes.map((n) => (fd(s, n) ? pct(fd(s, n)!.medianRelGap, 3) : '-'))]);
  L.push('');
  L.push('Mean relative delay gap:');
  L.push('');
  header('scheme');
  for (const s of order) row([LABEL[s], ...sizes.map((n) => (fd(s, n) ? pct(fd(s, n)!.meanRelGap, 3) : '-'))]);
  L.push('');
  L.push('## Table III: sum-capacity (unsupervised, primal-dual)');
  L.push('');
  L.push('Average sum capacity, bits/s/Hz:');
  L.push('');
  header('scheme');
  row(['exact optimum', ...sizes.map((n) => refs.find((r) => r.n === n)?.capacityBits.toFixed(4) ?? '-')]);
  for (const s of order) row([LABEL[s], ...sizes.map((n) => sc(s, n)?.capacityBits.toFixed(4) ?? '-')]);
  for (const s of order) row([`paper: ${LABEL[s]}`, ...PAPER_TABLE_III[s].map((v) => String(v))]);
  L.push('');
  L.push('% of the exact optimum:');
  L.push('');
  header('scheme');
  for (const s of order) row([LABEL[s], ...sizes.map((n) => (sc(s, n)?.percentOfOptimum !== undefined ? `${sc(s, n)!.percentOfOptimum!.toFixed(2)}%` : '-'))]);
  L.push('');
  L.push('Average constraint violation max(0, E[sum P] - budget) as % of the budget (E[sum P] / budget - 1 in brackets):');
  L.push('');
  header('scheme');
  for (const s of order) row([LABEL[s], ...sizes.map((n) => (sc(s, n) ? `${pct(sc(s, n)!.violationFrac)} (${pct(sc(s, n)!.meanSumPowerW / sc(s, n)!.budgetW - 1, 1)})` : '-'))]);
  L.push('');

  // Goals.
  L.push('## Goals');
  L.push('');
  if (metrics.has('routed')) {
    const capOk = sizes.map((n) => (sc('routed', n)?.percentOfOptimum ?? 0) >= 99);
    const violOk = sizes.map((n) => (sc('routed', n)?.violationFrac ?? 1) <= 0.01);
    const medOk = sizes.map((n) => (fd('routed', n)?.medianRelGap ?? 1) <= 0.02);
    header('goal');
    row(['sum-capacity routed >= 99% of optimum', ...capOk.map((ok, i) => `${ok ? 'yes' : 'NO'} (${sc('routed', sizes[i])?.percentOfOptimum?.toFixed(2)}%)`)]);
    row(['sum-capacity routed violation <= 1% of budget', ...violOk.map((ok, i) => `${ok ? 'yes' : 'NO'} (${pct(sc('routed', sizes[i])?.violationFrac ?? NaN)})`)]);
    row(['fdma-delay routed median gap <= 2%', ...medOk.map((ok, i) => `${ok ? 'yes' : 'NO'} (${pct(fd('routed', sizes[i])?.medianRelGap ?? NaN, 3)})`)]);
    if (metrics.has('single-task')) {
      row([
        'fdma-delay routed median gap / single-task (<= 1.1)',
        ...sizes.map((n) => {
          const r = fd('routed', n)!.medianRelGap / fd('single-task', n)!.medianRelGap;
          return `${r <= 1.1 ? 'yes' : 'NO'} (${r.toFixed(2)}x)`;
        }),
      ]);
      row([
        'fdma-delay routed median gap - single-task (points)',
        ...sizes.map((n) => `${(100 * (fd('routed', n)!.medianRelGap - fd('single-task', n)!.medianRelGap)).toFixed(3)}`),
      ]);
    }
    for (const s of ['naive', 'zero-padding'] as const) {
      if (!metrics.has(s)) continue;
      row([`fdma-delay ${s} median gap / routed`, ...sizes.map((n) => `${(fd(s, n)!.medianRelGap / fd('routed', n)!.medianRelGap).toFixed(2)}x`)]);
      row([`sum-capacity ${s} - routed (bits)`, ...sizes.map((n) => `${(sc(s, n)!.capacityBits - sc('routed', n)!.capacityBits).toFixed(4)}`)]);
    }
    L.push('');
  }

  // Curves.
  const svgs: string[] = [];
  for (const n of sizes) {
    const fdma = lineChart({
      title: `fdma-delay, N = ${n}: test median relative delay gap`,
      xLabel: 'training step',
      yLabel: 'median (f0 - f0*) / f0*',
      logY: true,
      series: order.map((s) => ({ name: s, points: curves.get(s)!.map((p) => [p.step, (p.metrics.find((m) => m.problem === 'fdma-delay' && m.n === n) as FdmaMetrics | undefined)?.medianRelGap ?? NaN]) })),
    });
    const capName = `curves-fdma-delay-n${n}.svg`;
    writeFileAtomic(join(OUT, capName), fdma);
    svgs.push(capName);
    const ref = refs.find((r) => r.n === n);
    const cap = lineChart({
      title: `sum-capacity, N = ${n}: test average sum capacity`,
      xLabel: 'training step',
      yLabel: 'bits/s/Hz',
      reference: ref ? { y: ref.capacityBits, label: 'optimum' } : undefined,
      series: order.map((s) => ({ name: s, points: curves.get(s)!.map((p) => [p.step, (p.metrics.find((m) => m.problem === 'sum-capacity' && m.n === n) as SumCapacityRow | undefined)?.capacityBits ?? NaN]) })),
    });
    writeFileAtomic(join(OUT, `curves-sum-capacity-n${n}.svg`), cap);
    svgs.push(`curves-sum-capacity-n${n}.svg`);
    const viol = lineChart({
      title: `sum-capacity, N = ${n}: E[sum P] / budget - 1`,
      xLabel: 'training step',
      yLabel: 'relative budget excess',
      reference: { y: 0, label: 'budget' },
      series: order.map((s) => ({
        name: s,
        points: curves.get(s)!.map((p) => {
          const m = p.metrics.find((x) => x.problem === 'sum-capacity' && x.n === n) as SumCapacityRow | undefined;
          return [p.step, m ? m.meanSumPowerW / m.budgetW - 1 : NaN];
        }),
      })),
    });
    writeFileAtomic(join(OUT, `curves-sum-capacity-violation-n${n}.svg`), viol);
    svgs.push(`curves-sum-capacity-violation-n${n}.svg`);
  }
  L.push('## Test curves');
  L.push('');
  L.push('Evaluated every 500 steps on the first 2000 test samples of each task (phase 1 of the routed scheme with its soft masks; its phase 2 starts from a re-initialised bDNN at step t1).');
  L.push('');
  for (const n of sizes) L.push(`- N = ${n}: [fdma-delay](curves-fdma-delay-n${n}.svg), [sum capacity](curves-sum-capacity-n${n}.svg), [budget excess](curves-sum-capacity-violation-n${n}.svg)`);
  L.push('');
  L.push('![fdma-delay N = 5](curves-fdma-delay-n5.svg) ![sum-capacity N = 5](curves-sum-capacity-n5.svg)');
  L.push('');
  L.push('![fdma-delay N = 20](curves-fdma-delay-n20.svg) ![sum-capacity N = 20](curves-sum-capacity-n20.svg)');
  L.push('');

  // Masks.
  const tables: Record<string, unknown> = { generatedBy: 'scripts/reproduce-allocation.ts', argv, t1: T1, t2: T2, seed: SEED, toolVersion: VERSION, references: refs, schemes: Object.fromEntries(order.map((s) => [s, metrics.get(s)])) };
  if (metrics.has('routed')) {
    const { initEngine } = await import('../src/dnn/engine.js');
    const { loadAllocationNetwork } = await import('../src/dnn/allocation/model.js');
    const { flatMasks, maskJaccard, maskDensity } = await import('../src/dnn/allocation/masks.js');
    await initEngine();
    const { net, manifest } = loadAllocationNetwork(runDir('routed'));
    const masks = flatMasks(net);
    const jac = maskJaccard(masks);
    const dens = maskDensity(masks);
    const labels = manifest.tasks.map((t) => `${t.problem === 'fdma-delay' ? 'delay' : 'capacity'} N=${t.n}`);
    writeFileAtomic(join(OUT, 'mask-jaccard.svg'), heatMap('Routing-mask overlap (Jaccard) between the 14 tasks', labels, jac));
    tables.maskJaccard = { labels, matrix: jac, density: dens };
    const within = (p: string) => {
      const v: number[] = [];
      manifest.tasks.forEach((a, i) => manifest.tasks.forEach((b, j) => i < j && a.problem === p && b.problem === p && v.push(jac[i][j])));
      return v.reduce((x, y) => x + y, 0) / v.length;
    };
    const across: number[] = [];
    manifest.tasks.forEach((a, i) => manifest.tasks.forEach((b, j) => i < j && a.problem !== b.problem && across.push(jac[i][j])));
    L.push('## Routing masks');
    L.push('');
    L.push(`Mask density (fraction of hidden weights a task uses): ${manifest.tasks.map((t, k) => `${t.problem === 'fdma-delay' ? 'D' : 'C'}${t.n} ${dens[k].toFixed(2)}`).join(', ')}.`);
    L.push(`Mean Jaccard overlap: within fdma-delay ${within('fdma-delay').toFixed(3)}, within sum-capacity ${within('sum-capacity').toFixed(3)}, across problems ${(across.reduce((x, y) => x + y, 0) / across.length).toFixed(3)}.`);
    L.push('');
    L.push('![mask overlap](mask-jaccard.svg)');
    L.push('');
    net.dispose();
    // The committed model.
    copyModel(runDir('routed'), MODELS);
    L.push(`The routed model is committed as \`${relative(ROOT, MODELS)}/\` (current.json + v<k>/ with model.json, weights.bin, metrics.json, curve.json): \`./bin/radio-mtl solve --problem sum-capacity --solver dnn --model ${relative(ROOT, MODELS)} --input FILE\`.`);
    L.push('');
  }
  writeFileAtomic(join(OUT, 'tables.json'), `${JSON.stringify(tables, null, 2)}\n`);
  writeFileAtomic(join(OUT, 'README.md'), `${L.join('\n')}\n`);
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
