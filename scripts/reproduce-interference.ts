/**
 * `npm run reproduce:interference [-- options]`: the routed multi-task DNN on the K-user
 * interference channel against WMMSE and the other baselines (issue 23).
 *
 * 1. Trains every scheme on every channel model, one after the other in this process
 *    (run it with `nice -n 10`), unsupervised on the sum rate (src/dnn/interference/
 *    trainer.ts). Resumable: a finished model in <runs>/<channel>/<scheme> with the same
 *    options is kept, an interrupted one continues from its checkpoint.
 * 2. Evaluates on fresh channels (2,000 per K, streams no training draws from) at the
 *    trained K and at K = 7 (untrained) and 25 (beyond the input grid), and writes
 *    <out>/README.md, results.json and one chart per channel (.svg + .vl.json).
 *
 * Options: --channels gaussian,geometric --schemes routed,zero-padding,single-task
 * --t1 S (1000) --t2 S (2000) --batch B (32 per task) --hidden 128,128,128 --lr (1e-3)
 * --seed (1) --eval-count (2000) --runs DIR (runs/interference) --out DIR
 * (runs/interference/report; pass --out results/allocation/interference to replace the
 * committed report). --help prints this and does nothing else.
 */
import { join, resolve } from 'node:path';
import { initEngine } from '../src/dnn/engine.js';
import { modelExists, readModelJson } from '../src/dnn/model-io.js';
import { removeCheckpoints } from '../src/dnn/training/checkpoint.js';
import { loadInterferenceModel, saveInterferenceModel, type InterferenceManifest } from '../src/dnn/interference/model.js';
import { INTERFERENCE_SCHEMES, type InterferenceScheme } from '../src/dnn/interference/network.js';
import { interferenceReport, writeInterferenceCharts } from '../src/dnn/interference/report.js';
import { baselineRates, evaluationChannels, modelRate, type ComparisonRow } from '../src/dnn/interference/evaluate.js';
import { INTERFERENCE_TRAIN_DEFAULTS, trainInterference, type InterferenceTrainOptions } from '../src/dnn/interference/trainer.js';
import { writeFileAtomic } from '../src/io/atomic-write.js';
import { INTERFERENCE_CHANNELS, INTERFERENCE_DEFAULTS, PAPER_SIZES, type InterferenceChannel } from '../src/solvers/params.js';
import { argv, flag, opt, ROOT } from './lib.js';

const USAGE =
  'usage: npm run reproduce:interference -- [--channels gaussian,geometric] [--schemes routed,zero-padding,single-task] [--t1 1000] [--t2 2000] [--batch 32] [--hidden 128,128,128] [--lr 1e-3] [--seed 1] [--eval-count 2000] [--runs DIR] [--out DIR]\n';
if (flag('help')) {
  process.stdout.write(USAGE);
  process.exit(0);
}

/** Bad options: one line naming the option and the rule, exit 2, before any work. */
function fail(message: string): never {
  process.stderr.write(`reproduce:interference: ${message}\n`);
  process.exit(2);
}

function option(name: string, def: string): string {
  try {
    return opt(name, def);
  } catch (err) {
    return fail((err as Error).message);
  }
}

function count(name: string, def: number, min = 1): number {
  const text = option(name, String(def));
  const value = Number(text);
  if (!Number.isInteger(value) || value < min) fail(`--${name} must be an integer >= ${min}, got '${text}'`);
  return value;
}

function list<T extends string>(name: string, choices: readonly T[]): T[] {
  const values = option(name, choices.join(',')).split(',');
  const bad = values.find((v) => !(choices as readonly string[]).includes(v));
  if (bad !== undefined) fail(`--${name}: '${bad}' is not one of ${choices.join(', ')}`);
  return values as T[];
}

const RUNS = resolve(option('runs', join(ROOT, 'runs', 'interference')));
const OUT = resolve(option('out', join(RUNS, 'report')));
const CHANNELS = list('channels', INTERFERENCE_CHANNELS);
const SCHEMES = list('schemes', INTERFERENCE_SCHEMES);
const EVAL_COUNT = count('eval-count', 2000);
const SEED = count('seed', 1, 0);
const T1 = count('t1', INTERFERENCE_TRAIN_DEFAULTS.t1);
const T2 = count('t2', INTERFERENCE_TRAIN_DEFAULTS.t2);
const BATCH = count('batch', INTERFERENCE_TRAIN_DEFAULTS.batchPerTask);
const LR = Number(option('lr', String(INTERFERENCE_TRAIN_DEFAULTS.learningRate)));
if (!(LR > 0)) fail(`--lr must be a number > 0, got '${option('lr', '')}'`);
const HIDDEN = option('hidden', INTERFERENCE_TRAIN_DEFAULTS.hiddenWidths.join(',')).split(',').map(Number);
if (HIDDEN.some((w) => !Number.isInteger(w) || w < 1)) fail(`--hidden must be a comma-separated list of integers >= 1, got '${option('hidden', '')}'`);
const EXTRA_K = [7, 25];
const log = (line: string) => process.stderr.write(`[reproduce:interference ${new Date().toISOString().slice(11, 19)}] ${line}\n`);

function optionsFor(channel: InterferenceChannel, scheme: InterferenceScheme): InterferenceTrainOptions {
  const d = INTERFERENCE_TRAIN_DEFAULTS;
  const params = { ...INTERFERENCE_DEFAULTS, channel };
  return { scheme, sizes: [...PAPER_SIZES], params, seed: SEED, t1: T1, t2: T2, batchPerTask: BATCH, learningRate: LR, logitPenalty: d.logitPenalty, lrDecayStart: d.lrDecayStart, lrDecayFloor: d.lrDecayFloor, hiddenWidths: HIDDEN };
}

/** The options a saved model was trained with, as compared for "same run". */
const trainingKey = (o: InterferenceTrainOptions) => JSON.stringify({ ...o, params: undefined, checkpointDir: undefined, onEvent: undefined });

async function trainIfNeeded(channel: InterferenceChannel, scheme: InterferenceScheme, backend: string): Promise<void> {
  const dir = join(RUNS, channel, scheme);
  const o = optionsFor(channel, scheme);
  if (modelExists(dir)) {
    const { manifest } = readModelJson<InterferenceManifest>(dir).json;
    const { trainSeconds: _s, backend: _b, maskDensity: _m, ...saved } = manifest.training;
    if (trainingKey({ ...saved, params: o.params }) === trainingKey(o)) {
      log(`${channel}/${scheme}: trained already`);
      return;
    }
  }
  let last = 0;
  const r = trainInterference({
    ...o,
    checkpointDir: join(dir, 'checkpoint'),
    onEvent: (e) => {
      if (e.type === 'resumed') log(`${channel}/${scheme}: resumed at step ${e.step}`);
      if (e.type === 'step' && Date.now() - last > 30000) {
        last = Date.now();
        log(`${channel}/${scheme}: step ${e.step}/${e.total} loss ${e.loss.toFixed(4)}`);
      }
    },
  });
  const { params, checkpointDir: _c, onEvent: _e, ...training } = o;
  saveInterferenceModel(dir, r.net, { params, scale: r.scale, training: { ...training, trainSeconds: r.trainSeconds, backend, maskDensity: r.maskDensity } });
  // The model is saved: its checkpoint has served.
  removeCheckpoints(join(dir, 'checkpoint'));
  r.net.dispose();
  log(`${channel}/${scheme}: ${r.steps} steps in ${(r.trainSeconds / 60).toFixed(1)} min (${r.stepMs.toFixed(0)} ms/step)`);
}

function evaluateChannel(channel: InterferenceChannel): ComparisonRow[] {
  const params = { ...INTERFERENCE_DEFAULTS, channel };
  const models = SCHEMES.filter((s) => modelExists(join(RUNS, channel, s))).map((s) => ({ scheme: s, ...loadInterferenceModel(join(RUNS, channel, s)) }));
  const rows = [...PAPER_SIZES, ...EXTRA_K].map((k) => {
    const gains = evaluationChannels(params, SEED, k, EVAL_COUNT);
    const baselines = baselineRates(params, gains, EVAL_COUNT, k, SEED);
    const rates = Object.fromEntries(models.map((m) => [m.scheme, modelRate(m.net, m.manifest.scale, params, gains, EVAL_COUNT, k)]));
    log(`${channel} K=${k}: WMMSE ${baselines.wmmse.toFixed(3)}, ${models.map((m) => `${m.scheme} ${JSON.stringify(rates[m.scheme])}`).join(', ')}`);
    return { k, count: EVAL_COUNT, baselines, models: rates };
  });
  models.forEach((m) => m.net.dispose());
  return rows;
}

const backend = await initEngine();
// Scheme-major: the routed model of every channel first, then the baselines.
for (const scheme of SCHEMES) for (const channel of CHANNELS) await trainIfNeeded(channel, scheme, backend);
const results = Object.fromEntries(CHANNELS.map((c) => [c, evaluateChannel(c)]));
const trained = Object.fromEntries(
  CHANNELS.map((c) => [c, Object.fromEntries(SCHEMES.filter((s) => modelExists(join(RUNS, c, s))).map((s) => [s, readModelJson<InterferenceManifest>(join(RUNS, c, s)).json.manifest.training]))]),
);
writeFileAtomic(join(OUT, 'results.json'), `${JSON.stringify({ command: `npm run reproduce:interference -- ${argv.join(' ')}`.trim(), backend, seed: SEED, evalCount: EVAL_COUNT, results, trained }, null, 2)}\n`);
writeFileAtomic(join(OUT, 'README.md'), interferenceReport(results, trained, argv));
await writeInterferenceCharts(OUT, results);
log(`wrote ${OUT}`);
