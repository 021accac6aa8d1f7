/**
 * `node --import tsx scripts/experiments/interference-study.ts [options]`: one short training of an
 * interference network at one K, to compare recipes before choosing (docs/allocation.md,
 * "Choosing the recipe"). Trains (nothing is saved but the log), then scores the network
 * on 2,000 fresh validation channels of that K (seed 2 unless --eval-seed: never trained on,
 * not the reproduction's tables) against WMMSE from full power. Writes
 * scratch/interference-study/<name>.log (or --out DIR): every 250 steps the mean training
 * rate (minus the logit penalty, so a lower bound), and the final line.
 */
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { initEngine } from '../../src/dnn/engine.js';
import { evaluationChannels, modelRate } from '../../src/dnn/interference/evaluate.js';
import { INTERFERENCE_SCHEMES, type InterferenceScheme } from '../../src/dnn/interference/network.js';
import { INTERFERENCE_TRAIN_DEFAULTS, trainInterference } from '../../src/dnn/interference/trainer.js';
import { INTERFERENCE_CHANNELS, INTERFERENCE_DEFAULTS, type InterferenceChannel } from '../../src/solvers/params.js';
import { fullPower, wmmse } from '../../src/solvers/wmmse.js';
import { intOpt, opt, outDir, readScriptOptions, usageFail } from '../shared/lib.js';

readScriptOptions({
  name: 'scripts/experiments/interference-study.ts',
  summary: 'One short interference training at one K (a recipe study), scored against WMMSE on 2,000 fresh channels; the log goes to --out (default scratch/interference-study).',
  options: {
    name: { value: 'NAME', help: 'log file name (default study)' },
    k: { value: 'K', help: 'pairs (default 20)' },
    scheme: { value: 'S', help: 'routed | zero-padding | single-task (default zero-padding: with one K, a plain MLP)' },
    channel: { value: 'C', help: 'gaussian | geometric (default gaussian)' },
    steps: { value: 'N', help: 'training steps (default 3000)' },
    batch: { value: 'B', help: 'fresh channels per step (default 128)' },
    lr: { value: 'RATE', help: `Adam learning rate (default ${INTERFERENCE_TRAIN_DEFAULTS.learningRate})` },
    penalty: { value: 'W', help: `logit penalty (default ${INTERFERENCE_TRAIN_DEFAULTS.logitPenalty})` },
    hidden: { value: 'LIST', help: `hidden widths (default ${INTERFERENCE_TRAIN_DEFAULTS.hiddenWidths.join(',')})` },
    heads: { value: 'M', help: `output heads, the best by sum rate served (default ${INTERFERENCE_TRAIN_DEFAULTS.heads})` },
    softness: { value: 'TAU', help: `temperature of the soft maximum over heads, bits per pair; 0 = hard maximum (default ${INTERFERENCE_TRAIN_DEFAULTS.headSoftness})` },
    'eval-seed': { value: 'N', help: 'seed of the 2,000 validation channels (default 2; the reproduction\'s tables use seed 1)' },
    out: { value: 'DIR', help: 'where the log goes (default scratch/interference-study)' },
  },
});
const k = intOpt('k', 20, 2);
const steps = intOpt('steps', 3000);
const batch = intOpt('batch', 128);
const lr = Number(opt('lr', String(INTERFERENCE_TRAIN_DEFAULTS.learningRate)));
const penalty = Number(opt('penalty', String(INTERFERENCE_TRAIN_DEFAULTS.logitPenalty)));
const hidden = opt('hidden', INTERFERENCE_TRAIN_DEFAULTS.hiddenWidths.join(',')).split(',').map(Number);
const evalSeed = intOpt('eval-seed', 2, 0);
const heads = intOpt('heads', INTERFERENCE_TRAIN_DEFAULTS.heads);
const softness = Number(opt('softness', String(INTERFERENCE_TRAIN_DEFAULTS.headSoftness)));
if (!(softness >= 0)) usageFail('--softness must be a number >= 0');
const scheme = opt('scheme', 'zero-padding') as InterferenceScheme;
const channel = opt('channel', 'gaussian') as InterferenceChannel;
if (!(lr > 0) || !(penalty >= 0) || hidden.some((w) => !(Number.isInteger(w) && w >= 1))) usageFail('--lr must be > 0, --penalty >= 0, --hidden integers >= 1');
if (!INTERFERENCE_SCHEMES.includes(scheme) || !INTERFERENCE_CHANNELS.includes(channel)) usageFail(`--scheme: one of ${INTERFERENCE_SCHEMES.join(', ')}; --channel: one of ${INTERFERENCE_CHANNELS.join(', ')}`);
const dir = outDir();
mkdirSync(dir, { recursive: true });
const log = join(dir, `${opt('name', 'study')}.log`);
writeFileSync(log, `${JSON.stringify({ k, scheme, channel, steps, batch, lr, penalty, hidden, heads, softness, evalSeed })}\n`);

await initEngine();
const params = { ...INTERFERENCE_DEFAULTS, channel };
const count = 2000;
const gains = evaluationChannels(params, evalSeed, k, count);
const wmmseRate = wmmse(gains, count, k, params, fullPower(count, k, params)).sumRate.reduce((a, b) => a + b) / count;
let sum = 0;
let n = 0;
const r = trainInterference({
  ...INTERFERENCE_TRAIN_DEFAULTS,
  scheme,
  sizes: [k],
  params,
  seed: 1,
  t1: 0,
  t2: steps,
  batchPerTask: batch,
  learningRate: lr,
  logitPenalty: penalty,
  hiddenWidths: hidden,
  heads,
  headSoftness: softness,
  onEvent: (e) => {
    if (e.type !== 'step') return;
    sum += -e.loss * k;
    n++;
    if (e.step % 250 !== 0) return;
    appendFileSync(log, `step ${e.step} training rate - penalty ${(sum / n).toFixed(3)} = ${((100 * sum) / n / wmmseRate).toFixed(1)}% of WMMSE ${wmmseRate.toFixed(3)}\n`);
    sum = n = 0;
  },
});
const m = modelRate(r.net, r.scale, params, gains, count, k);
const line = 'rate' in m ? `final: ${m.rate.toFixed(3)} bits/s/Hz = ${((100 * m.rate) / wmmseRate).toFixed(2)}% of WMMSE ${wmmseRate.toFixed(3)} (${(r.trainSeconds / 60).toFixed(1)} min)` : `final: ${m.error}`;
appendFileSync(log, `${line}\n`);
process.stdout.write(`${line}\n`);
