/**
 * `radio-mtl train kpi`: trains one of the six LSTM multi-task architectures on the
 * FccIQ CSVs (interference detection + next-step RSRP/RSRQ/SINR), evaluates it on
 * the test split and saves it (weights, scalers, manifest) to --out. With --seeds N
 * it trains seeds seed..seed+N-1 into --out/seed-<s>/ and prints mean and 95%
 * interval. With --ensemble K it trains K members (--arch may list several
 * architectures) and saves them as ONE model averaging them (src/dnn/kpi/ensemble.ts).
 * With --from MODEL it fine-tunes a saved model on labelled rows instead
 * (train-kpi-adapt.ts). Interrupted runs resume from their last epoch (checkpoints in
 * --out); the pipelines are src/dnn/kpi/pipeline.ts and ensemble-pipeline.ts.
 */
import { InvalidArgumentError, type Command } from 'commander';
import { join } from 'node:path';
import { KPI_ARCHS, type KpiArch } from '../../dnn/kpi/registry.js';
import { runKpiTraining, type KpiRunResult } from '../../dnn/kpi/pipeline.js';
import { ensembleMembers, runKpiEnsembleTraining } from '../../dnn/kpi/ensemble-pipeline.js';
import type { EpochLog } from '../../dnn/kpi/trainer.js';
import { meanCi } from '../../dnn/kpi/metrics.js';
import { WEIGHTINGS, type Weighting } from '../../dnn/training/weighting.js';
import { loadKpiDataset } from '../../datasets/kpi/fcciq.js';
import { KPI_INPUTS, type KpiInputs } from '../../measurements/inputs.js';
import { KPI_BATCH_SIZE, KPI_RECIPE } from '../../dnn/kpi/recipe.js';
import { parseChoice, parseIntOption, parseNumberOption } from '../options.js';
import { adaptFromOptions, NEW_MODEL_OPTIONS } from './train-kpi-adapt.js';
import { writingTo } from '../errors.js';
import { InputError } from '../../input-error.js';
import { initEngineFromOption } from '../engine-option.js';
import { formatKpiEvaluation } from './evaluate-kpi.js';
import { reportingDivergence, trainingProgress } from './train-progress.js';

interface TrainKpiOptions {
  /** The recipe's one architecture by default; a list when given (parseArchList). */
  arch: KpiArch | KpiArch[];
  ensemble?: number;
  from?: string;
  data: string;
  out?: string;
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

/** --arch: one architecture, or a comma list of them (for --ensemble). */
function parseArchList(value: string): KpiArch | KpiArch[] {
  const names = value.split(',').map((a) => a.trim());
  const bad = names.find((a) => !(KPI_ARCHS as readonly string[]).includes(a));
  if (bad !== undefined) throw new InvalidArgumentError(`must be one of ${KPI_ARCHS.join(', ')} (a comma list of them with --ensemble), got '${bad}'`);
  return names.length === 1 ? (names[0] as KpiArch) : (names as KpiArch[]);
}

export function registerTrainKpi(train: Command): void {
  train
    .command('kpi')
    .description('Train an LSTM multi-task model for interference detection + KPI prediction (FccIQ CSVs); with no other option than --data and --out, the recipe of the served model')
    .option('--arch <names>', `architecture: ${KPI_ARCHS.join(', ')}; with --ensemble a comma list, taken in turn`, parseArchList, KPI_RECIPE.arch)
    .option('--ensemble <k>', 'train K members (architectures of --arch in turn, seeds from --seed) and save ONE model averaging their probabilities and forecasts', parseIntOption(2))
    .option('--from <model>', `fine-tune this saved model (single or ensemble) on the labelled rows of --data instead (chronological: the last 20% of each CSV picks the epoch); --out defaults to <model>-adapted`)
    .requiredOption('--data <dir>', 'directory of FccIQ CSV files')
    .option('--out <dir>', 'model directory to write (required unless --from)')
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
    .action(trainKpiCommand);
}

/** The options of a new model, checked (and --context defaulted); its architectures and output directory. */
function checkNewModelOptions(opts: TrainKpiOptions): { archs: KpiArch[]; out: string } {
  if (!opts.out) throw new InputError('--out', 'is required (the model directory to write)');
  const archs = typeof opts.arch === 'string' ? [opts.arch] : opts.arch;
  if (archs.length > 1 && !opts.ensemble) throw new InputError('--arch', `a list of architectures needs --ensemble K, got '${archs.join(',')}'`);
  if (opts.ensemble && opts.seeds > 1) throw new InputError('--seeds', 'cannot be combined with --ensemble (the members take seeds --seed, --seed+1, ...)');
  if (opts.ema >= 1) throw new InputError('--ema', `must be in [0, 1), got ${opts.ema}`);
  opts.context ??= Math.min(KPI_RECIPE.context, opts.window);
  if (opts.context > opts.window) throw new InputError('--context', `must be at most --window (${opts.window}), got ${opts.context}`);
  return { archs, out: opts.out };
}

/** The runs' test metrics: one JSON document with --json, else the seeds' mean when there are several. */
function printRuns(opts: TrainKpiOptions, archs: KpiArch[], backend: string, results: KpiRunResult[]): void {
  if (opts.json) {
    const doc = { arch: opts.ensemble ? 'ensemble' : archs[0], hidden: opts.hidden, window: opts.window, context: opts.context ?? opts.window, weighting: opts.weighting, backend, runs: results.map((r) => ({ seed: r.manifest.config.seed, ...(r.manifest.members ? { members: r.manifest.members.map((m) => ({ arch: m.arch, seed: m.config.seed })) } : {}), sizeBytes: r.sizeBytes, epochs: r.manifest.training.epochsRun, bestEpoch: r.manifest.training.bestEpoch, ...r.manifest.test })) };
    process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
  } else if (results.length > 1) {
    const acc = meanCi(results.map((r) => r.manifest.test.metrics.accuracy));
    const bal = meanCi(results.map((r) => r.manifest.test.metrics.balancedAccuracy));
    process.stdout.write(`\n${results.length} seeds: accuracy ${(100 * acc.mean).toFixed(2)}% +- ${(100 * acc.ci95).toFixed(2)}, balanced ${(100 * bal.mean).toFixed(2)}% +- ${(100 * bal.ci95).toFixed(2)} (95% t-interval)\n`);
  }
}

async function trainKpiCommand(opts: TrainKpiOptions, cmd: Command): Promise<void> {
  const given = (name: string) => cmd.getOptionValueSource(name) === 'cli';
  if (opts.from) {
    const clash = NEW_MODEL_OPTIONS.find((o) => given(o.key));
    if (clash) throw new InputError(clash.flag, `describes a new model; --from ${opts.from} fine-tunes a saved one, whose settings stay`);
    await adaptFromOptions({ ...opts, from: opts.from, epochs: given('epochs') ? opts.epochs : undefined, patience: given('patience') ? opts.patience : undefined, seed: given('seed') ? opts.seed : undefined });
    return;
  }
  const { archs, out } = checkNewModelOptions(opts);
  const backend = await initEngineFromOption(opts.backend);
  // The dataset's errors name the option or the CSV file themselves.
  const data = loadKpiDataset(opts.data, opts.window, {}, opts.inputs);
  if (data.train.count === 0 || data.val.count === 0 || data.test.count === 0) {
    throw new InputError('--window', `${opts.window} leaves no windows in some split (train ${data.train.count}, val ${data.val.count}, test ${data.test.count}); use a shorter window`);
  }
  const steps = Math.ceil(data.train.count / KPI_BATCH_SIZE);
  const common = {
    dataDir: opts.data, epochs: opts.epochs, hidden: opts.hidden, window: opts.window, context: opts.context,
    weighting: opts.weighting, patience: opts.patience, ema: opts.ema, levelShiftDb: opts.levelShiftDb, residual: opts.residual, backend, data,
  };
  /** One saved model: trained with a progress bar of `epochs` epochs, reported, any write error under --out. */
  const trainOne = (label: string, dir: string, epochs: number, run: (onEvent: ReturnType<typeof trainingProgress<EpochLog>>['listener']) => KpiRunResult) => {
    const progress = trainingProgress<EpochLog>(`train kpi ${label}`, epochs * steps, {
      quiet: opts.quiet,
      epochLine: (l) => `epoch ${l.epoch} val loss ${l.valLoss.toFixed(4)} val acc ${(100 * l.valAccuracy).toFixed(2)}%${l.best ? ' *' : ''}`,
    });
    let r: KpiRunResult;
    try {
      r = writingTo('--out', dir, () => reportingDivergence(() => run(progress.listener)));
    } finally {
      progress.stop();
    }
    if (!opts.json) process.stdout.write(`\n${label} -> ${dir} (${r.manifest.training.epochsRun} epochs, best ${r.manifest.training.bestEpoch})\n${formatKpiEvaluation(r.manifest.test)}\n`);
    return r;
  };
  const results: KpiRunResult[] = [];
  if (opts.ensemble) {
    const members = ensembleMembers(opts.ensemble, archs, opts.seed);
    const label = `ensemble of ${members.map((m) => `${m.arch} seed ${m.seed}`).join(', ')}`;
    results.push(trainOne(label, out, opts.epochs * members.length, (onEvent) => runKpiEnsembleTraining({ ...common, out, members, onEvent })));
  }
  for (let i = 0; !opts.ensemble && i < opts.seeds; i++) {
    const seed = opts.seed + i;
    const dir = opts.seeds > 1 ? join(out, `seed-${seed}`) : out;
    results.push(trainOne(`${archs[0]} seed ${seed}`, dir, opts.epochs, (onEvent) => runKpiTraining({ ...common, arch: archs[0], out: dir, seed, onEvent })));
  }
  printRuns(opts, archs, backend, results);
}
