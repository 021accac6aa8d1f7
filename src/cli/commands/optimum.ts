/** `radio-mtl optimum`: the exact reference optimum every DNN result is compared with. */
import type { Command } from 'commander';
import { parseChoice, parseIntOption, parseSizeList } from '../options.js';
import { createProgress } from '../progress.js';
import { BUDGET_MODES, PAPER_SIZES, SUM_CAPACITY_DEFAULTS, sumCapacityBudget, type BudgetMode } from '../../solvers/params.js';
import { sumCapacityReference } from '../../solvers/sum-capacity-reference.js';
import { InputError } from '../../input-error.js';

interface OptimumOptions {
  problem: string;
  n: number[];
  budget: BudgetMode;
  samples: number;
  seed: number;
  json?: boolean;
}

export function registerOptimum(program: Command): void {
  program
    .command('optimum')
    .description('Exact optimal average sum capacity (P4) per N, by Monte Carlo over Rayleigh gains')
    .option('--problem <name>', 'problem (only sum-capacity has an average-budget optimum)', 'sum-capacity')
    .option('--n <list>', 'comma-separated user counts', parseSizeList, [...PAPER_SIZES])
    .option('--budget <mode>', 'average power budget: per-user (Pav*N) or total (Pav)', parseChoice(BUDGET_MODES), 'per-user')
    .option('--samples <count>', 'Monte Carlo samples per N', parseIntOption(1), 1_000_000)
    .option('--seed <int>', 'random seed', parseIntOption(), 1)
    .option('--json', 'print one JSON document')
    .action((opts: OptimumOptions) => {
      if (opts.problem !== 'sum-capacity') {
        throw new InputError('--problem', `the optimum command covers sum-capacity only (fdma-delay is solved per instance: use 'solve'), got '${opts.problem}'.`);
      }
      const params = { ...SUM_CAPACITY_DEFAULTS, budgetMode: opts.budget };
      // Seconds per N at the default 1e6 samples: say as each N is done.
      const progress = createProgress('optimum', opts.n.length * opts.samples);
      const results = opts.n.map((n) => {
        const started = Date.now();
        const r = { n, budgetW: sumCapacityBudget(params, n), ...sumCapacityReference(params, n, opts.samples, opts.seed) };
        progress.log(`optimum: N = ${n}: ${r.capacityBits.toFixed(5)} bits (${((Date.now() - started) / 1000).toFixed(1)} s)`);
        progress.tick(opts.samples);
        return r;
      });
      progress.stop();
      if (opts.json) {
        const doc = { problem: 'sum-capacity', budget: opts.budget, samples: opts.samples, seed: opts.seed, params, results };
        process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
        return;
      }
      process.stdout.write(`sum-capacity optimum, budget ${opts.budget}, ${opts.samples} samples, seed ${opts.seed}\n`);
      process.stdout.write('   N   budget W   lambda*     capacity bits   std.err    mean power W\n');
      for (const r of results) {
        process.stdout.write(
          `${String(r.n).padStart(4)}  ${r.budgetW.toFixed(3).padStart(8)}  ${r.lambda.toFixed(6).padStart(9)}  ` +
            `${r.capacityBits.toFixed(5).padStart(14)}  ${r.stdErrBits.toExponential(2).padStart(9)}  ${r.meanPower.toFixed(4).padStart(12)}\n`,
        );
      }
    });
}
