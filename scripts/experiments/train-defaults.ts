/**
 * `npm run train:defaults [-- --out DIR --fcciq DIR]`: trains the three models shipped in
 * models/ with the project's own commands, in two processes (one per core):
 *   - models/allocation-routed: dataset (seed 1, 30k/10k per task) + routed scheme,
 *     t1 = t2 = 5000, seed 1 (the configuration of results/allocation/);
 *   - models/kpi-ple: PLE, H = 64, context 10, 25 epochs, patience 8, seed 3 (the best
 *     architecture of results/kpi/ and its seed with the lowest validation loss);
 *   - models/interference-routed: the routed interference network of
 *     results/allocation/interference/ (Gaussian channel, the defaults of
 *     src/dnn/interference/trainer.ts, seed 1), trained by `reproduce:interference` after
 *     the allocation model in the same process chain, then copied in with one rename.
 * Each model directory is written atomically by the trainer; a model already present
 * in --out is kept unless --force is given.
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { modelExists } from '../../src/dnn/model-io.js';
import { opt, flag, readScriptOptions, usageFail, DEFAULT_FCCIQ_DIR, ROOT } from '../shared/lib.js';

readScriptOptions({
  name: 'train:defaults',
  summary: 'Trains the three models shipped in models/ (allocation-routed, kpi-ple, interference-routed) with the project\'s own commands, in two processes.\nA model already present in --out is kept unless --force is given.',
  options: {
    out: { value: 'DIR', help: 'where the models go (default models)' },
    fcciq: { value: 'DIR', help: 'FccIQ CSV folder (default data/fcciq)' },
    data: { value: 'DIR', help: 'the allocation dataset, generated there (default runs/defaults-data)' },
    force: { help: 'retrain models already present' },
  },
});
const OUT = resolve(opt('out', join(ROOT, 'models')));
const FCCIQ = resolve(opt('fcciq', DEFAULT_FCCIQ_DIR));
const DATA = resolve(opt('data', join(ROOT, 'runs', 'defaults-data')));
const FORCE = flag('force');
const CLI = join(ROOT, 'bin', 'radio-mtl');

/** Runs the radio-mtl CLI (args) or a script of scripts/ (['script:NAME.ts', ...args]). */
function run(label: string, args: string[][]): Promise<void> {
  return args.reduce(
    (prev, a) =>
      prev.then(
        () =>
          new Promise<void>((ok, fail) => {
            const script = a[0].startsWith('script:') ? join(ROOT, 'scripts', a[0].slice('script:'.length)) : undefined;
            process.stderr.write(`[${label}] ${script ? `tsx ${script}` : 'radio-mtl'} ${a.slice(script ? 1 : 0).join(' ')}\n`);
            const argv = script ? ['--import', 'tsx', script, ...a.slice(1)] : [CLI, ...a];
            const child = spawn(process.execPath, argv, { stdio: ['ignore', 'ignore', 'inherit'], cwd: ROOT });
            child.on('exit', (code) => (code === 0 ? ok() : fail(new Error(`${label}: radio-mtl ${a[0]} exited with ${code}`))));
          }),
      ),
    Promise.resolve(),
  );
}

/** Copies a trained model directory to `to` in one rename (a kill leaves the old model or the new one). */
function install(from: string, to: string): void {
  const staging = `${to}.tmp-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  cpSync(from, staging, { recursive: true });
  rmSync(to, { recursive: true, force: true });
  renameSync(staging, to);
}

const jobs: Promise<void>[] = [];
const allocationOut = join(OUT, 'allocation-routed');
const interferenceOut = join(OUT, 'interference-routed');
const interferenceRuns = join(DATA, 'interference');
const chain: string[][] = [];
if (FORCE || !modelExists(allocationOut)) {
  chain.push(
    ['dataset', '--problem', 'fdma-delay,sum-capacity', '--train', '30000', '--test', '10000', '--seed', '1', '--out', DATA],
    ['train', 'allocation', '--scheme', 'routed', '--data', DATA, '--out', allocationOut, '--seed', '1', '--t1', '5000', '--t2', '5000', '--eval-every', '0'],
  );
} else process.stderr.write(`[allocation] ${allocationOut} exists (use --force to retrain)\n`);
const retrainInterference = FORCE || !modelExists(interferenceOut);
if (retrainInterference) {
  if (FORCE) rmSync(interferenceRuns, { recursive: true, force: true });
  chain.push(['script:reproduce-interference.ts', '--channels', 'gaussian', '--schemes', 'routed', '--seed', '1', '--eval-count', '100', '--runs', interferenceRuns, '--out', join(DATA, 'interference-report')]);
} else process.stderr.write(`[interference] ${interferenceOut} exists (use --force to retrain)\n`);
if (chain.length) jobs.push(run('allocation', chain).then(() => (retrainInterference ? install(join(interferenceRuns, 'gaussian', 'routed'), interferenceOut) : undefined)));
const kpiOut = join(OUT, 'kpi-ple');
if (FORCE || !modelExists(kpiOut)) {
  if (!existsSync(FCCIQ)) usageFail(`--fcciq: FccIQ data directory ${FCCIQ} not found (give --fcciq DIR)`);
  jobs.push(
    run('kpi', [['train', 'kpi', '--data', FCCIQ, '--out', kpiOut]]), // the defaults are the recipe (src/dnn/kpi/recipe.ts)
  );
} else process.stderr.write(`[kpi] ${kpiOut} exists (use --force to retrain)\n`);

await Promise.all(jobs);
process.stderr.write(`default models in ${OUT}\n`);
