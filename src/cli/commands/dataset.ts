/** `radio-mtl dataset`: seeded, labelled power-allocation datasets as .npy + manifest. */
import { InvalidArgumentError, type Command } from 'commander';
import { parseChoice, parseIntOption, parseNumberOption, parseSizeList } from '../options.js';
import { createProgress } from '../progress.js';
import { underOption, writingTo } from '../errors.js';
import { InputError } from '../../input-error.js';
import { generateDataset, mergeStagedDataset, stageDatasetTasks } from '../../datasets/allocation/generate.js';
import { problemDir } from '../../datasets/allocation/dataset-files.js';
import { stagedTaskExists } from '../../datasets/allocation/dataset-shards.js';
import { inShard, parseShard, type Shard } from '../../io/shard.js';
import {
  BUDGET_MODES,
  DATASET_PROBLEMS,
  FDMA_DELAY_DEFAULTS,
  INTERFERENCE,
  INTERFERENCE_CHANNELS,
  INTERFERENCE_DEFAULTS,
  INTERFERENCE_MAX_PAIRS,
  PAPER_SIZES,
  PROBLEMS,
  SUM_CAPACITY_DEFAULTS,
  meanGainDbFromPathLoss,
  type BudgetMode,
  type DatasetProblem,
  type InterferenceChannel,
} from '../../solvers/params.js';

interface DatasetOptions {
  problem: DatasetProblem[];
  n: number[];
  train: number;
  test: number;
  seed: number;
  out: string;
  meanGainDb?: number;
  pathLossDb?: number;
  budget: BudgetMode;
  channel: InterferenceChannel;
  shard?: Shard;
  merge?: boolean;
  json?: boolean;
}

/** What `--json` prints for one problem. */
interface WrittenProblem {
  problem: DatasetProblem;
  dir: string;
  sizes: number[];
  train: number;
  test: number;
  /** True for a --shard run: the tasks are staged under <out>/.shards, no dataset written yet. */
  staged: boolean;
  seconds: number;
}

function parseShardOption(value: string): Shard {
  try {
    return parseShard(value);
  } catch (err) {
    // commander names the option and points to the help itself.
    if (err instanceof InputError) throw new InvalidArgumentError(err.rule);
    throw err;
  }
}

/** The unit of sharded work: one (problem, N) task, in the order an unsharded run writes them. */
function allTasks(opts: DatasetOptions): Array<{ problem: DatasetProblem; n: number }> {
  return opts.problem.flatMap((problem) => opts.n.map((n) => ({ problem, n })));
}

function parseProblemList(value: string): DatasetProblem[] {
  const parse = parseChoice(DATASET_PROBLEMS);
  return value.split(',').map((s) => parse(s.trim()));
}

/** The problem parameters a dataset is generated with (recorded in its manifest). */
function paramsOf(problem: DatasetProblem, opts: DatasetOptions) {
  if (problem === INTERFERENCE) return { ...INTERFERENCE_DEFAULTS, channel: opts.channel };
  if (problem === 'sum-capacity') return { ...SUM_CAPACITY_DEFAULTS, budgetMode: opts.budget };
  const meanGainDb =
    opts.pathLossDb !== undefined ? meanGainDbFromPathLoss(opts.pathLossDb, FDMA_DELAY_DEFAULTS.bandwidthHz) : (opts.meanGainDb ?? FDMA_DELAY_DEFAULTS.meanGainDb);
  return { ...FDMA_DELAY_DEFAULTS, meanGainDb };
}

/** A staged task that cannot be used (other settings, damaged file) is the user's to fix: one line, not a stack trace. */
function mergeOrExplain(...args: Parameters<typeof mergeStagedDataset>): ReturnType<typeof mergeStagedDataset> {
  return underOption('--merge', () => mergeStagedDataset(...args));
}

function checkDatasetOptions(opts: DatasetOptions): void {
  if (opts.meanGainDb !== undefined && opts.pathLossDb !== undefined) {
    throw new InputError('--mean-gain-db and --path-loss-db', 'describe the same thing: give one of them');
  }
  const tooLarge = opts.problem.includes(INTERFERENCE) ? opts.n.find((n) => n > INTERFERENCE_MAX_PAIRS) : undefined;
  if (tooLarge !== undefined) throw new InputError('--n', `interference takes K <= ${INTERFERENCE_MAX_PAIRS} pairs, got ${tooLarge}`);
  if (opts.shard && opts.merge) throw new InputError('--merge', 'runs after the shards, not with --shard');
  if (opts.merge) {
    const missing = allTasks(opts).filter((t) => !stagedTaskExists(opts.out, t.problem, t.n));
    if (missing.length) {
      throw new InputError('--merge', `${missing.length} task(s) not staged yet under ${opts.out}/.shards: ${missing.map((t) => `${t.problem} N=${t.n}`).join(', ')}`);
    }
  }
}

function runDataset(opts: DatasetOptions): void {
  checkDatasetOptions(opts);
  const mine = opts.shard ? inShard(allTasks(opts), opts.shard) : allTasks(opts);
  const written: WrittenProblem[] = [];
  for (const problem of opts.problem) {
    const sizes = mine.filter((t) => t.problem === problem).map((t) => t.n);
    if (!sizes.length) continue;
    const params = paramsOf(problem, opts);
    const total = (opts.merge ? 0 : sizes.length) * (opts.train + opts.test);
    const progress = createProgress(`dataset ${problem}`, total);
    const started = Date.now();
    const generate = {
      problem,
      sizes,
      counts: { train: opts.train, test: opts.test },
      seed: opts.seed,
      params,
      onProgress: (done: number) => progress.tick(done),
    };
    const done = { problem, dir: problemDir(opts.out, problem), sizes, train: opts.train, test: opts.test, staged: Boolean(opts.shard) };
    if (opts.shard) {
      writingTo('--out', opts.out, () => stageDatasetTasks(opts.out, generate));
      progress.stop();
      process.stderr.write(`staged ${problem} N = ${sizes.join(', ')} (shard ${opts.shard.index}/${opts.shard.count}) under ${opts.out}/.shards\n`);
      written.push({ ...done, seconds: (Date.now() - started) / 1000 });
      continue;
    }
    const manifest = writingTo('--out', opts.out, () => (opts.merge ? mergeOrExplain(opts.out, generate) : generateDataset(opts.out, generate)));
    progress.stop();
    const seconds = (Date.now() - started) / 1000;
    process.stderr.write(`wrote ${done.dir}: ${manifest.tasks.length} tasks x (${opts.train} train + ${opts.test} test), seed ${opts.seed}, ${seconds.toFixed(1)} s\n`);
    written.push({ ...done, seconds });
  }
  if (opts.json) process.stdout.write(`${JSON.stringify({ out: opts.out, seed: opts.seed, problems: written }, null, 2)}\n`);
}

export function registerDataset(program: Command): void {
  program
    .command('dataset')
    .description('Generate seeded datasets (gains; fdma-delay also exact optimal powers and delay; interference K x K gains and WMMSE powers and sum rate)')
    .option('--problem <list>', `comma-separated problems: ${DATASET_PROBLEMS.join(', ')} (default: ${PROBLEMS.join(',')})`, parseProblemList, [...PROBLEMS])
    .option('--n <list>', 'comma-separated user counts N (pairs K for interference)', parseSizeList, [...PAPER_SIZES])
    .option('--train <count>', 'training samples per task', parseIntOption(1), 30000)
    .option('--test <count>', 'test samples per task', parseIntOption(1), 10000)
    .option('--seed <int>', 'random seed', parseIntOption(), 1)
    .requiredOption('--out <dir>', 'output directory (writes <dir>/<problem>/)')
    .option('--mean-gain-db <dB>', 'fdma-delay mean SNR per watt, dB (0 = normalised SNR, the default)', parseNumberOption())
    .option('--path-loss-db <dB>', 'fdma-delay path loss, dB, instead of --mean-gain-db (144 dB = normalised at -174 dBm/Hz, 1 MHz)', parseNumberOption())
    .option('--budget <mode>', 'sum-capacity average budget recorded in the manifest: per-user | total', parseChoice(BUDGET_MODES), 'per-user')
    .option('--channel <model>', `interference channel model: ${INTERFERENCE_CHANNELS.join(' | ')}`, parseChoice(INTERFERENCE_CHANNELS), INTERFERENCE_DEFAULTS.channel)
    .option('--shard <I/N>', 'run only shard I of N (numbered 1..N): stage its (problem, N) tasks under <dir>/.shards/ for --merge', parseShardOption)
    .option('--merge', 'build the dataset from the tasks staged by every --shard run (same other options)')
    .option('--json', 'print one JSON document (what was written) to stdout')
    .action(runDataset);
}

