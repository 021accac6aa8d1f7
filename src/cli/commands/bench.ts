/** `radio-mtl bench solvers`: exact solver vs IPM timings on this machine. */
import type { Command } from 'commander';
import { parseNumberOption, parseSizeList } from '../options.js';
import { BENCH_SIZES, runSolverBench, solverBenchMarkdown } from '../../bench/solvers.js';

interface BenchOptions {
  n: number[];
  scale: number;
  json?: boolean;
}

export function registerBench(program: Command): void {
  const bench = program.command('bench').description('Benchmarks (the full runs are npm run bench:*)');
  bench
    .command('solvers')
    .description('Median time per instance of the exact solvers, the IPM and the routed DNN (batch 1 and 4096), and dataset throughput')
    .option('--n <list>', 'comma-separated user counts', parseSizeList, [...BENCH_SIZES])
    .option('--scale <factor>', 'fraction of the full instance counts (0.1 = quick look)', parseNumberOption(0, true), 1)
    .option('--json', 'print one JSON document')
    .action(async (opts: BenchOptions) => {
      const doc = await runSolverBench({ sizes: opts.n, scale: opts.scale, log: (m) => process.stderr.write(`bench: ${m}\n`) });
      process.stdout.write(opts.json ? `${JSON.stringify(doc, null, 2)}\n` : solverBenchMarkdown(doc));
    });
}
