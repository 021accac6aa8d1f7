/**
 * `radio-mtl train kpi`: trains one of the six LSTM multi-task architectures on the
 * FccIQ CSVs (interference detection + next-step RSRP/RSRQ/SINR), evaluates it on
 * the test split and saves it (weights, scalers, manifest) to --out. With --seeds N
 * it trains seeds seed..seed+N-1 into --out/seed-<s>/ and prints mean and 95%
 * interval. Interrupted runs resume from their last epoch (checkpoints in --out); the
 * pipeline is src/dnn/kpi/pipeline.ts.
 */
import type { Command } from 'commander';
import { join } from 'node:path';
import { KPI_ARCHS, type KpiArch } from '../../dnn/kpi/registry.js';
import { runKpiTraining, type KpiRunResult } from '../../dnn/kpi/pipeline.js';
import type { EpochLog } from '../../dnn/kpi/trainer.js';
import { meanCi } from '../../dnn/kpi/metrics.js';
import { WEIGHTINGS, type Weighting } from '../../dnn/kpi/weighting.js';
import { loadKpiDataset } from '../../datasets/fcciq.js';
import { KPI_INPUTS, type KpiInputs } from '../../datasets/kpi-inputs.js';
import { KPI_BATCH_SIZE, KPI_RECIPE } from '../../dnn/kpi/recipe.js';
import { parseChoice, parseIntOption, parseNumberOption } from '../options.js';
import { writingTo } from '../errors.js';
import { InputError } from '../../input-error.js';
import { initEngineFromOption } from '../engine-option.js';
import { formatKpiEvaluation } from './evaluate-kpi.js';
import { reportingDivergence, trainingProgress } from './train-progress.js';

interface TrainKpiOptions {
  arch: KpiArch;
  data: string;
  out: string;
  epochs: number;
  hidden: number;
  window: number;
  context?: number;
  seeds: number;
  seed: number;
  weighting: Weighting;
  patience: number;
  ema: number;
  residual: boolean;
  inputs: KpiInputs;
  levelShiftDb: number;
  backend?: string;
  json?: boolean;
  quiet?: boolean;
}

export function registerTrainKpi(train: Command): void {
  train
    .command('kpi')
    .description('Train an LSTM multi-task model for interference detection + KPI prediction (FccIQ CSVs); with no other option than --data and --out, the recipe of the served model')
    .option('--arch <name>', `architecture: ${KPI_ARCHS.join(', ')}`, parseChoice(KPI_ARCHS), KPI_RECIPE.arch)
    .requiredOption('--data <dir>', 'directory of FccIQ CSV files')
    .requiredOption('--out <dir>', 'model directory to write')
    .option('--epochs <n>', 'maximum epochs', parseIntOption(1), KPI_RECIPE.epochs)
    .option('--hidden <n>', 'LSTM hidden size H', parseIntOption(2), KPI_RECIPE.hidden)
    .option('--window <n>', 'window length (time steps)', parseIntOption(1), KPI_RECIPE.window)
    .option('--context <n>', `steps of each window the LSTM reads, the last ones (default: ${KPI_RECIPE.context}, or the whole window when shorter)`, parseIntOption(1))
    .option('--seeds <n>', 'number of seeds to train (seed, seed+1, ...)', parseIntOption(1), 1)
    .option('--seed <n>', 'first seed', parseIntOption(0), KPI_RECIPE.seed)
    .option('--weighting <name>', `loss weighting: ${WEIGHTINGS.join(', ')}`, parseChoice(WEIGHTINGS), KPI_RECIPE.weighting)
    .option('--patience <n>', 'early stopping: epochs without a better validation loss (0: off)', parseIntOption(0), KPI_RECIPE.patience)
    .option('--ema <decay>', 'keep an exponential moving average of the weights with this decay per step, validated and saved instead (0: off)', parseNumberOption(0), KPI_RECIPE.ema)
    .option('--inputs <name>', `how raw values become inputs: ${KPI_INPUTS.join(', ')}`, parseChoice(KPI_INPUTS), KPI_RECIPE.inputs)
    .option('--level-shift-db <dB>', 'augmentation: a random level shift per training file and epoch, up to this many dB each way (0: off)', parseNumberOption(0), KPI_RECIPE.levelShiftDb)
    .option('--no-residual', 'predict KPI values directly instead of the change from the last value (the paper)')
    .option('--backend <name>', 'tensorflow | wasm | cpu (default: best available)')
    .option('--json', 'print the test metrics as JSON')
    .option('--quiet', 'no progress output')
    .action(async (opts: TrainKpiOptions) => {
      if (opts.ema >= 1) throw new InputError('--ema', `must be in [0, 1), got ${opts.ema}`);
      opts.context ??= Math.min(KPI_RECIPE.context, opts.window);
      if (opts.context > opts.window) throw new InputError('--context', `must be at most --window (${opts.window}), got ${opts.context}`);
      const backend = await initEngineFromOption(opts.backend);
      // The dataset's errors name the option or the CSV file themselves.
      const data = loadKpiDataset(opts.data, opts.window, {}, opts.inputs);
      if (data.train.count === 0 || data.val.count === 0 || data.test.count === 0) {
        throw new InputError('--window', `${opts.window} leaves no windows in some split (train ${data.train.count}, val ${data.val.count}, test ${data.test.count}); use a shorter window`);
      }
      const results: KpiRunResult[] = [];
      for (let i = 0; i < opts.seeds; i++) {
        const seed = opts.seed + i;
        const out = opts.seeds > 1 ? join(opts.out, `seed-${seed}`) : opts.out;
        const steps = Math.ceil(data.train.count / KPI_BATCH_SIZE);
        const progress = trainingProgress<EpochLog>(`train kpi ${opts.arch} seed ${seed}`, opts.epochs * steps, {
          quiet: opts.quiet,
          epochLine: (l) => `epoch ${l.epoch} val loss ${l.valLoss.toFixed(4)} val acc ${(100 * l.valAccuracy).toFixed(2)}%${l.best ? ' *' : ''}`,
        });
        const train = () => runKpiTraining({
          arch: opts.arch, dataDir: opts.data, out, epochs: opts.epochs, hidden: opts.hidden, window: opts.window, context: opts.context, seed,
          weighting: opts.weighting, patience: opts.patience, ema: opts.ema, levelShiftDb: opts.levelShiftDb, residual: opts.residual, backend, data, onEvent: progress.listener,
        });
        let r: KpiRunResult;
        try {
          r = writingTo('--out', out, () => reportingDivergence(train));
        } finally {
          progress.stop();
        }
        results.push(r);
        if (!opts.json) process.stdout.write(`\n${opts.arch} seed ${seed} -> ${out} (${r.manifest.training.epochsRun} epochs, best ${r.manifest.training.bestEpoch})\n${formatKpiEvaluation(r.manifest.test)}\n`);
      }
      if (opts.json) {
        const doc = { arch: opts.arch, hidden: opts.hidden, window: opts.window, context: opts.context ?? opts.window, weighting: opts.weighting, backend, runs: results.map((r) => ({ seed: r.manifest.config.seed, sizeBytes: r.sizeBytes, epochs: r.manifest.training.epochsRun, bestEpoch: r.manifest.training.bestEpoch, ...r.manifest.test })) };
        process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
      } else if (results.length > 1) {
        const acc = meanCi(results.map((r) => r.manifest.test.metrics.accuracy));
        const bal = meanCi(results.map((r) => r.manifest.test.metrics.balancedAccuracy));
        process.stdout.write(`\n${results.length} seeds: accuracy ${(100 * acc.mean).toFixed(2)}% +- ${(100 * acc.ci95).toFixed(2)}, balanced ${(100 * bal.mean).toFixed(2)}% +- ${(100 * bal.ci95).toFixed(2)} (95% t-interval)\n`);
      }
    });
}
