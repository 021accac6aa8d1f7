/** `radio-mtl dataset`: seeded, labelled power-allocation datasets as .npy + manifest. */
import type { Command } from 'commander';
import { parseChoice, parseIntOption, parseNumberOption, parseSizeList } from '../options.js';
import { createProgress } from '../progress.js';
import { UserError, writingTo } from '../errors.js';
import { generateDataset } from '../../datasets/generate.js';
import { problemDir } from '../../datasets/dataset-files.js';
import {
  BUDGET_MODES,
  FDMA_DELAY_DEFAULTS,
  PAPER_SIZES,
  PROBLEMS,
  SUM_CAPACITY_DEFAULTS,
  meanGainDbFromPathLoss,
  type BudgetMode,
  type Problem,
} from '../../solvers/params.js';

interface DatasetOptions {
  problem: Problem[];
  n: number[];
  train: number;
  test: number;
  seed: number;
  out: string;
  meanGainDb?: number;
  pathLossDb?: number;
  budget: BudgetMode;
}

function parseProblemList(value: string): Problem[] {
  const parse = parseChoice(PROBLEMS);
  return value.split(',').map((s) => parse(s.trim()));
}

export function registerDataset(program: Command): void {
  program
    .command('dataset')
    .description('Generate seeded Rayleigh datasets (gains; fdma-delay also exact optimal powers and delay)')
    .option('--problem <list>', `comma-separated problems: ${PROBLEMS.join(', ')}`, parseProblemList, [...PROBLEMS])
    .option('--n <list>', 'comma-separated user counts N', parseSizeList, [...PAPER_SIZES])
    .option('--train <count>', 'training samples per task', parseIntOption(1), 30000)
    .option('--test <count>', 'test samples per task', parseIntOption(1), 10000)
    .option('--seed <int>', 'random seed', parseIntOption(), 1)
    .requiredOption('--out <dir>', 'output directory (writes <dir>/<problem>/)')
    .option('--mean-gain-db <dB>', 'fdma-delay mean SNR per watt, dB (0 = normalised SNR, the default)', parseNumberOption())
    .option('--path-loss-db <dB>', 'fdma-delay path loss, dB, instead of --mean-gain-db (144 dB = normalised at -174 dBm/Hz, 1 MHz)', parseNumberOption())
    .option('--budget <mode>', 'sum-capacity average budget recorded in the manifest: per-user | total', parseChoice(BUDGET_MODES), 'per-user')
    .action((opts: DatasetOptions) => {
      if (opts.meanGainDb !== undefined && opts.pathLossDb !== undefined) {
        throw new UserError('--mean-gain-db and --path-loss-db describe the same thing: give one of them');
      }
      const meanGainDb =
        opts.pathLossDb !== undefined
          ? meanGainDbFromPathLoss(opts.pathLossDb, FDMA_DELAY_DEFAULTS.bandwidthHz)
          : (opts.meanGainDb ?? FDMA_DELAY_DEFAULTS.meanGainDb);
      for (const problem of opts.problem) {
        const params = problem === 'fdma-delay' ? { ...FDMA_DELAY_DEFAULTS, meanGainDb } : { ...SUM_CAPACITY_DEFAULTS, budgetMode: opts.budget };
        const total = opts.n.length * (opts.train + opts.test);
        const progress = createProgress(`dataset ${problem}`, total);
        const started = Date.now();
        const manifest = writingTo('--out', opts.out, () =>
          generateDataset(opts.out, {
            problem,
            sizes: opts.n,
            counts: { train: opts.train, test: opts.test },
            seed: opts.seed,
            params,
            onProgress: (done) => progress.tick(done),
          }),
        );
        progress.stop();
        process.stderr.write(
          `wrote ${problemDir(opts.out, problem)}: ${manifest.tasks.length} tasks x (${opts.train} train + ${opts.test} test), seed ${opts.seed}, ` +
            `${((Date.now() - started) / 1000).toFixed(1)} s\n`,
        );
      }
    });
}
