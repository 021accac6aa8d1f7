/**
 * `radio-mtl train allocation`: trains one scheme (routed | naive | zero-padding |
 * single-task) of the routed-MTL paper on the 14 tasks of a dataset directory holding
 * DIR/fdma-delay and DIR/sum-capacity (from `radio-mtl dataset`), evaluates it and saves
 * it to --out with its test curve and metrics (src/dnn/allocation/pipeline.ts). An
 * interrupted run resumes from its last checkpoint (in --out).
 */
import type { Command } from 'commander';
import { loadAllocationData, withChannelKnowledge } from '../../dnn/allocation/data.js';
import { addChannelKnowledgeOptions, channelKnowledgeOf, type ChannelKnowledgeOptions } from '../channel-knowledge-option.js';
import { runAllocationTraining } from '../../dnn/allocation/pipeline.js';
import { formatSummary } from '../../dnn/allocation/report.js';
import { DEFAULT_TRAIN_OPTIONS, type CurvePoint, type TrainOptions } from '../../dnn/allocation/trainer.js';
import { SCHEMES, TABLE_I, type Scheme } from '../../dnn/allocation/tasks.js';
import { curveLine, curveTaskLines, evaluateWithProgress, referencesWithProgress } from '../allocation-progress.js';
import { parseChoice, parseIntOption, parseNumberOption } from '../options.js';
import { WEIGHTINGS, type Weighting } from '../../dnn/training/weighting.js';
import { underOption, writingTo } from '../errors.js';
import { initEngineFromOption } from '../engine-option.js';
import { reportingDivergence, trainingProgress } from './train-progress.js';

interface TrainAllocationOptions extends ChannelKnowledgeOptions {
  scheme: Scheme;
  data: string;
  out: string;
  seed: number;
  t1: number;
  t2: number;
  lr: number;
  routerLr?: number;
  batch: number;
  dualStep: number;
  delayWeight: number;
  weighting: Weighting;
  gamma: number;
  fdmaLoss: 'share' | 'ptot';
  lrDecayStart: number;
  lrDecayFloor: number;
  logitPenalty: number;
  sortInputs: boolean;
  routerNorm: boolean;
  evalEvery: number;
  evalRows: number;
  refSamples: number;
  backend?: string;
  json?: boolean;
  quiet?: boolean;
  verbose?: boolean;
}

/** The trainer's options from the command's. */
function trainOptionsOf(opts: TrainAllocationOptions, onEvent: TrainOptions['onEvent']): TrainOptions {
  return {
    scheme: opts.scheme,
    seed: opts.seed,
    t1: opts.t1,
    t2: opts.t2,
    learningRate: opts.lr,
    routerLearningRate: opts.routerLr,
    batchPerTask: opts.batch,
    dualStep: opts.dualStep,
    delayWeight: opts.delayWeight,
    weighting: opts.weighting,
    fdmaLoss: opts.fdmaLoss,
    lrDecayStart: opts.lrDecayStart,
    lrDecayFloor: opts.lrDecayFloor,
    logitPenalty: opts.logitPenalty,
    network: { sortInputs: opts.sortInputs, routerNorm: opts.routerNorm, gamma: opts.gamma },
    evalEvery: opts.evalEvery,
    evalRows: opts.evalRows,
    onEvent,
  };
}

export function registerTrainAllocation(train: Command): void {
  const command = train
    .command('allocation')
    .description('Train a multi-task power-allocation DNN (routed-MTL paper, Algorithm 1) on the 14 tasks')
    .requiredOption('--scheme <name>', `scheme: ${SCHEMES.join(' | ')}`, parseChoice(SCHEMES))
    .requiredOption('--data <dir>', 'dataset directory holding fdma-delay/ and sum-capacity/ (radio-mtl dataset --out DIR)')
    .requiredOption('--out <dir>', 'model directory to write')
    .option('--seed <int>', 'random seed (initialisation and batches)', parseIntOption(), 1)
    .option('--t1 <steps>', 'phase-1 steps (bDNN + rDNN); other schemes train t1 + t2 steps', parseIntOption(1), TABLE_I.t1)
    .option('--t2 <steps>', 'phase-2 steps (bDNN alone, masks frozen)', parseIntOption(0), TABLE_I.t2)
    .option('--lr <rate>', 'Adam learning rate', parseNumberOption(0, true), TABLE_I.learningRate)
    .option('--router-lr <rate>', 'Adam learning rate of the rDNN (default: --lr)', parseNumberOption(0, true))
    .option('--batch <n>', 'batch size per task', parseIntOption(1), TABLE_I.batchPerTask)
    .option('--dual-step <eta>', 'dual step size for the sum-capacity budget', parseNumberOption(0), DEFAULT_TRAIN_OPTIONS.dualStep)
    .option('--delay-weight <w>', 'weight of the relative delay gap added to the fdma-delay MSE loss', parseNumberOption(0), DEFAULT_TRAIN_OPTIONS.delayWeight)
    .option('--weighting <name>', `task-loss weighting: ${WEIGHTINGS.join(' | ')} (equal: the paper's mean over tasks)`, parseChoice(WEIGHTINGS), DEFAULT_TRAIN_OPTIONS.weighting)
    .option('--gamma <g>', 'routed: rDNN output activation ReLU(tanh(g x))', parseNumberOption(0, true), TABLE_I.gamma)
    .option('--fdma-loss <units>', "fdma-delay MSE units: 'share' ((P-P*)/(Ptot/N), mean over users) or 'ptot'", parseChoice(['share', 'ptot'] as const), 'share')
    .option('--lr-decay-start <fraction>', 'final phase: start a linear learning-rate decay after this fraction of its steps (1: none)', parseNumberOption(0), DEFAULT_TRAIN_OPTIONS.lrDecayStart)
    .option('--lr-decay-floor <fraction>', 'learning rate at the end of the decay, as a fraction of --lr', parseNumberOption(0), DEFAULT_TRAIN_OPTIONS.lrDecayFloor)
    .option('--logit-penalty <w>', 'sum-capacity: weight of the mean squared output logit (keeps the sigmoid unsaturated)', parseNumberOption(0), DEFAULT_TRAIN_OPTIONS.logitPenalty)
    .option('--no-sort-inputs', 'present the gains in user order instead of sorted descending (ablation)')
    .option('--no-router-norm', 'plain rDNN hidden layer, without the per-task scale normalisation (ablation)')
    .option('--eval-every <steps>', 'test-curve evaluation interval (0: none)', parseIntOption(0), DEFAULT_TRAIN_OPTIONS.evalEvery)
    .option('--eval-rows <n>', 'test rows per task for the curve', parseIntOption(1), DEFAULT_TRAIN_OPTIONS.evalRows)
    .option('--ref-samples <n>', 'Monte Carlo samples for the sum-capacity optimum (0: skip)', parseIntOption(0), 1_000_000)
    .option('--backend <name>', 'tensorflow | wasm | cpu (default: best available)')
    .option('--json', 'print the final test metrics as JSON')
    .option('--quiet', 'no progress output')
    .option('--verbose', 'with every test-curve line, one line per task');
  addChannelKnowledgeOptions(command)
    .action(async (opts: TrainAllocationOptions) => {
      const log = (line: string) => {
        if (!opts.quiet) process.stderr.write(`${line}\n`);
      };
      const backend = await initEngineFromOption(opts.backend);
      log(`train allocation: reading and checking the dataset ${opts.data}`);
      // Imperfect channel knowledge: trained (and tested) on observed gains, scored on the true ones.
      const data = withChannelKnowledge(underOption('--data', () => loadAllocationData(opts.data)), channelKnowledgeOf(opts), opts.gainSeed);
      log(`train allocation: scheme ${opts.scheme}, ${data.tasks.length} tasks, backend ${backend}, seed ${opts.seed}, t1 ${opts.t1}, t2 ${opts.t2}`);
      const total = opts.t1 + opts.t2;
      const progress = trainingProgress<never, CurvePoint>(`train allocation ${opts.scheme}`, total, {
        quiet: opts.quiet,
        evalLines: (p) => [curveLine(p, total), ...(opts.verbose ? curveTaskLines(p) : [])],
      });
      const train = trainOptionsOf(opts, progress.listener);
      const run = () =>
        runAllocationTraining({
          data, out: opts.out, train, refSamples: opts.refSamples, backend,
          onTrained: (result) => {
            progress.stop();
            log(`trained ${result.steps} steps in ${result.trainSeconds.toFixed(1)} s (${result.stepMs.toFixed(2)} ms/step)`);
          },
          evaluate: (net, test, inputs) => evaluateWithProgress('test splits', net, test, undefined, opts.quiet, inputs),
          references: (params, sizes, samples) => referencesWithProgress(params, sizes, samples, 1, opts.quiet),
        });
      let r;
      try {
        r = writingTo('--out', opts.out, () => reportingDivergence(() => underOption('--out', run)));
      } finally {
        progress.stop();
      }
      if (opts.json) process.stdout.write(`${JSON.stringify(r.report, null, 2)}\n`);
      else process.stdout.write(`model written to ${opts.out}\n${formatSummary(r.summary)}`);
    });
}
