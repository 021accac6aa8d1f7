/**
 * `radio-mtl train allocation`: trains one scheme (routed | naive | zero-padding |
 * single-task) of the routed-MTL paper on the 14 tasks of a dataset directory holding
 * DIR/fdma-delay and DIR/sum-capacity (from `radio-mtl dataset`), evaluates it on the
 * full test splits and saves the model to --out (model.json + weights.bin) together with
 * the test curve (curve.json) and the metrics (metrics.json), all four in one version
 * (src/dnn/model-io.ts), so the sidecars always describe the weights beside them.
 */
import type { Command } from 'commander';
import { ModelFileError } from '../../dnn/model-io.js';
import { loadAllocationData, type AllocationData } from '../../dnn/allocation/data.js';
import { evaluateNetwork, type TaskMetrics } from '../../dnn/allocation/evaluate.js';
import { buildManifest, saveAllocationModel } from '../../dnn/allocation/model.js';
import { formatSummary, summarise, sumCapacityReferences } from '../../dnn/allocation/report.js';
import { DEFAULT_TRAIN_OPTIONS, trainAllocation, type CurvePoint, type TrainOptions } from '../../dnn/allocation/trainer.js';
import { SCHEMES, TABLE_I, type Scheme } from '../../dnn/allocation/tasks.js';
import { DatasetError } from '../../datasets/dataset-files.js';
import { createProgress } from '../progress.js';
import { parseChoice, parseIntOption, parseNumberOption } from '../options.js';
import { UserError } from '../errors.js';
import { initEngineFromOption } from '../engine-option.js';

interface TrainAllocationOptions {
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
}

/** One line of per-task test metrics for the periodic log. */
export function curveLine(p: CurvePoint): string {
  const parts = p.metrics.map((m) =>
    m.problem === 'fdma-delay'
      ? `F${m.n} ${(100 * m.medianRelGap).toFixed(2)}%`
      : `S${m.n} ${m.capacityBits.toFixed(3)}b ${(100 * (m.meanSumPowerW / m.budgetW - 1)).toFixed(1)}%P`,
  );
  return `step ${p.step} (phase ${p.phase}) loss ${p.loss.toFixed(4)} | ${parts.join(' ')}`;
}

export function registerTrainAllocation(train: Command): void {
  train
    .command('allocation')
    .description('Train a multi-task power-allocation DNN (routed-MTL paper, Algorithm 1) on the 14 tasks')
    .requiredOption('--scheme <name>', `scheme: ${SCHEMES.join(' | ')}`, parseChoice('--scheme', SCHEMES))
    .requiredOption('--data <dir>', 'dataset directory holding fdma-delay/ and sum-capacity/ (radio-mtl dataset --out DIR)')
    .requiredOption('--out <dir>', 'model directory to write')
    .option('--seed <int>', 'random seed (initialisation and batches)', parseIntOption('--seed'), 1)
    .option('--t1 <steps>', 'phase-1 steps (bDNN + rDNN); other schemes train t1 + t2 steps', parseIntOption('--t1', 1), TABLE_I.t1)
    .option('--t2 <steps>', 'phase-2 steps (bDNN alone, masks frozen)', parseIntOption('--t2', 0), TABLE_I.t2)
    .option('--lr <rate>', 'Adam learning rate', parseNumberOption('--lr', 0, true), TABLE_I.learningRate)
    .option('--router-lr <rate>', 'Adam learning rate of the rDNN (default: --lr)', parseNumberOption('--router-lr', 0, true))
    .option('--batch <n>', 'batch size per task', parseIntOption('--batch', 1), TABLE_I.batchPerTask)
    .option('--dual-step <eta>', 'dual step size for the sum-capacity budget', parseNumberOption('--dual-step', 0), DEFAULT_TRAIN_OPTIONS.dualStep)
    .option('--delay-weight <w>', 'weight of the relative delay gap added to the fdma-delay MSE loss', parseNumberOption('--delay-weight', 0), DEFAULT_TRAIN_OPTIONS.delayWeight)
    .option('--fdma-loss <units>', "fdma-delay MSE units: 'share' ((P-P*)/(Ptot/N), mean over users) or 'ptot'", parseChoice('--fdma-loss', ['share', 'ptot'] as const), 'share')
    .option('--lr-decay-start <fraction>', 'final phase: start a linear learning-rate decay after this fraction of its steps (1: none)', parseNumberOption('--lr-decay-start', 0), DEFAULT_TRAIN_OPTIONS.lrDecayStart)
    .option('--lr-decay-floor <fraction>', 'learning rate at the end of the decay, as a fraction of --lr', parseNumberOption('--lr-decay-floor', 0), DEFAULT_TRAIN_OPTIONS.lrDecayFloor)
    .option('--logit-penalty <w>', 'sum-capacity: weight of the mean squared output logit (keeps the sigmoid unsaturated)', parseNumberOption('--logit-penalty', 0), DEFAULT_TRAIN_OPTIONS.logitPenalty)
    .option('--no-sort-inputs', 'present the gains in user order instead of sorted descending (ablation)')
    .option('--no-router-norm', 'plain rDNN hidden layer, without the per-task scale normalisation (ablation)')
    .option('--eval-every <steps>', 'test-curve evaluation interval (0: none)', parseIntOption('--eval-every', 0), DEFAULT_TRAIN_OPTIONS.evalEvery)
    .option('--eval-rows <n>', 'test rows per task for the curve', parseIntOption('--eval-rows', 1), DEFAULT_TRAIN_OPTIONS.evalRows)
    .option('--ref-samples <n>', 'Monte Carlo samples for the sum-capacity optimum (0: skip)', parseIntOption('--ref-samples', 0), 1_000_000)
    .option('--backend <name>', 'tensorflow | wasm | cpu (default: best available)')
    .option('--json', 'print the final test metrics as JSON')
    .option('--quiet', 'no progress output')
    .action(async (opts: TrainAllocationOptions) => {
      const backend = await initEngineFromOption(opts.backend);
      let data: AllocationData;
      try {
        data = loadAllocationData(opts.data);
      } catch (err) {
        if (err instanceof DatasetError) throw new UserError(`--data: ${err.message}`);
        throw err;
      }
      const log = (line: string) => {
        if (!opts.quiet) process.stderr.write(`${line}\n`);
      };
      log(`train allocation: scheme ${opts.scheme}, ${data.tasks.length} tasks, backend ${backend}, seed ${opts.seed}, t1 ${opts.t1}, t2 ${opts.t2}`);
      const total = opts.t1 + opts.t2;
      const progress = createProgress(`train allocation ${opts.scheme}`, total, { quiet: opts.quiet });
      const options: TrainOptions = {
        scheme: opts.scheme,
        seed: opts.seed,
        t1: opts.t1,
        t2: opts.t2,
        learningRate: opts.lr,
        routerLearningRate: opts.routerLr,
        batchPerTask: opts.batch,
        dualStep: opts.dualStep,
        delayWeight: opts.delayWeight,
        fdmaLoss: opts.fdmaLoss,
        lrDecayStart: opts.lrDecayStart,
        lrDecayFloor: opts.lrDecayFloor,
        logitPenalty: opts.logitPenalty,
        network: { sortInputs: opts.sortInputs, routerNorm: opts.routerNorm },
        evalEvery: opts.evalEvery,
        evalRows: opts.evalRows,
        onStep: (_step, _total, loss) => progress.tick(1, `loss ${loss.toFixed(4)}`),
        onEval: (p) => log(curveLine(p)),
      };
      const result = trainAllocation(data, options);
      progress.stop();
      log(`trained ${result.steps} steps in ${result.trainSeconds.toFixed(1)} s (${result.stepMs.toFixed(2)} ms/step)`);
      const metrics: TaskMetrics[] = evaluateNetwork(result.net, data.test);
      const refs = opts.refSamples > 0 ? sumCapacityReferences(data.params.sumCapacity, data.tasks.filter((t) => t.problem === 'sum-capacity').map((t) => t.n), opts.refSamples, 1) : [];
      const summary = summarise(metrics, refs);
      const manifest = buildManifest(
        result,
        { ...DEFAULT_TRAIN_OPTIONS, ...options } as Required<TrainOptions>,
        { source: data.source, seed: data.seed },
        backend,
        metrics,
      );
      const doc = { scheme: opts.scheme, model: opts.out, backend, steps: result.steps, trainSeconds: result.trainSeconds, stepMs: result.stepMs, lambdas: result.lambdas, maskDensity: result.maskDensity, references: refs, ...summary };
      const sidecars = {
        'curve.json': `${JSON.stringify({ scheme: opts.scheme, seed: opts.seed, curve: result.curve })}\n`,
        'metrics.json': `${JSON.stringify(doc, null, 2)}\n`,
      };
      try {
        saveAllocationModel(opts.out, result.net, manifest, sidecars);
      } catch (err) {
        if (err instanceof ModelFileError) throw new UserError(`--out: ${err.message}`);
        throw err;
      }
      if (opts.json) process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
      else process.stdout.write(`model written to ${opts.out}\n${formatSummary(summary)}`);
      result.net.dispose();
    });
}
