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
 * --t1 S (1000) --t2 S (12000) --batch B (64 per task) --hidden 128,128,128 --lr (1e-3) --penalty (1e-5)
 * --heads M (16) --softness TAU (0.003)
 * --seed (1) --eval-count (2000) --runs DIR (runs/interference) --out DIR
 * (scratch/reproduce-interference; pass --out results/allocation/interference to replace the
 * committed report). --help prints the usage and does nothing else.
 */
import { join, resolve } from 'node:path';
import { initEngine } from '../../src/dnn/engine.js';
import { modelExists, readModelJson } from '../../src/dnn/model-io.js';
import { removeCheckpoints } from '../../src/dnn/training/checkpoint.js';
import { loadInterferenceModel, saveInterferenceModel, type InterferenceManifest } from '../../src/dnn/interference/model.js';
import { INTERFERENCE_SCHEMES, type InterferenceScheme } from '../../src/dnn/interference/network.js';
import { interferenceReport, writeInterferenceCharts } from '../../src/dnn/interference/report.js';
import { baselineRates, evaluationChannels, modelRate, type ComparisonRow } from '../../src/dnn/interference/evaluate.js';
import { INTERFERENCE_TRAIN_DEFAULTS, trainInterference, type InterferenceTrainOptions } from '../../src/dnn/interference/trainer.js';
import { writeFileAtomic } from '../../src/io/atomic-write.js';
import { INTERFERENCE_CHANNELS, INTERFERENCE_DEFAULTS, PAPER_SIZES, type InterferenceChannel } from '../../src/solvers/params.js';
import { argv, intOpt, opt, outDir, readScriptOptions, ROOT, usageFail } from '../shared/lib.js';

readScriptOptions({
  name: 'reproduce:interference',
  summary:
    'Trains the routed, zero-padding and single-task networks for the K-user interference channel (unsupervised on the sum rate; resumable, models in --runs) and evaluates them against WMMSE and the other baselines. Writes README.md, results.json and charts to --out (default: scratch/reproduce-interference; --out results/allocation/interference replaces the committed report).',
  options: {
    channels: { value: 'LIST', help: 'channel models (default gaussian,geometric)' },
    schemes: { value: 'LIST', help: 'schemes (default routed,zero-padding,single-task)' },
    t1: { value: 'S', help: `phase-1 steps (routed; others train t1 + t2) (default ${INTERFERENCE_TRAIN_DEFAULTS.t1})` },
    t2: { value: 'S', help: `phase-2 steps (default ${INTERFERENCE_TRAIN_DEFAULTS.t2})` },
    batch: { value: 'B', help: `fresh channels per task per step (default ${INTERFERENCE_TRAIN_DEFAULTS.batchPerTask})` },
    hidden: { value: 'LIST', help: `hidden widths (default ${INTERFERENCE_TRAIN_DEFAULTS.hiddenWidths.join(',')})` },
    lr: { value: 'RATE', help: `Adam learning rate (default ${INTERFERENCE_TRAIN_DEFAULTS.learningRate})` },
    penalty: { value: 'W', help: `weight of the mean squared logit in the loss (default ${INTERFERENCE_TRAIN_DEFAULTS.logitPenalty})` },
    heads: { value: 'M', help: `output heads, the best by sum rate served (default ${INTERFERENCE_TRAIN_DEFAULTS.heads})` },
    softness: { value: 'TAU', help: `temperature of the soft maximum over heads in the loss, bits per pair; 0 = hard maximum (default ${INTERFERENCE_TRAIN_DEFAULTS.headSoftness})` },
    seed: { value: 'N', help: 'training and evaluation seed (default 1)' },
    'eval-count': { value: 'N', help: 'evaluation channels per K (default 2000)' },
    runs: { value: 'DIR', help: 'trained models and checkpoints (default runs/interference)' },
    out: { value: 'DIR', help: 'report folder (default scratch/reproduce-interference; results/allocation/interference is the committed one)' },
  },
});

function list<T extends string>(name: string, choices: readonly T[]): T[] {
  const values = opt(name, choices.join(',')).split(',');
  const bad = values.find((v) => !(choices as readonly string[]).includes(v));
  if (bad !== undefined) usageFail(`--${name}: '${bad}' is not one of ${choices.join(', ')}`);
  return values as T[];
}

const RUNS = resolve(opt('runs', join(ROOT, 'runs', 'interference')));
const OUT = outDir();
const CHANNELS = list('channels', INTERFERENCE_CHANNELS);
const SCHEMES = list('schemes', INTERFERENCE_SCHEMES);
const EVAL_COUNT = intOpt('eval-count', 2000);
const SEED = intOpt('seed', 1, 0);
const T1 = intOpt('t1', INTERFERENCE_TRAIN_DEFAULTS.t1);
const T2 = intOpt('t2', INTERFERENCE_TRAIN_DEFAULTS.t2);
const BATCH = intOpt('batch', INTERFERENCE_TRAIN_DEFAULTS.batchPerTask);
const LR = Number(opt('lr', String(INTERFERENCE_TRAIN_DEFAULTS.learningRate)));
if (!(LR > 0)) usageFail(`--lr must be a number > 0, got '${opt('lr', '')}'`);
const PENALTY = Number(opt('penalty', String(INTERFERENCE_TRAIN_DEFAULTS.logitPenalty)));
if (!(PENALTY >= 0)) usageFail(`--penalty must be a number >= 0, got '${opt('penalty', '')}'`);
const HIDDEN = opt('hidden', INTERFERENCE_TRAIN_DEFAULTS.hiddenWidths.join(',')).split(',').map(Number);
if (HIDDEN.some((w) => !Number.isInteger(w) || w < 1)) usageFail(`--hidden must be a comma-separated list of integers >= 1, got '${opt('hidden', '')}'`);
const HEADS = intOpt('heads', INTERFERENCE_TRAIN_DEFAULTS.heads);
const SOFTNESS = Number(opt('softness', String(INTERFERENCE_TRAIN_DEFAULTS.headSoftness)));
if (!(SOFTNESS >= 0)) usageFail(`--softness must be a number >= 0, got '${opt('softness', '')}'`);
const EXTRA_K = [7, 25];
const log = (line: string) => process.stderr.write(`[reproduce:interference ${new Date().toISOString().slice(11, 19)}] ${line}\n`);

function optionsFor(channel: InterferenceChannel, scheme: InterferenceScheme): InterferenceTrainOptions {
  const d = INTERFERENCE_TRAIN_DEFAULTS;
  const params = { ...INTERFERENCE_DEFAULTS, channel };
  return { scheme, sizes: [...PAPER_SIZES], params, seed: SEED, t1: T1, t2: T2, batchPerTask: BATCH, learningRate: LR, logitPenalty: PENALTY, lrDecayStart: d.lrDecayStart, lrDecayFloor: d.lrDecayFloor, hiddenWidths: HIDDEN, heads: HEADS, headSoftness: SOFTNESS };
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
