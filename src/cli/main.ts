/**
 * radio-mtl command line program (src/cli/bin.ts runs it). One command per job; each lives in src/cli/commands/
 * and registers itself on the program (add new ones to COMMANDS).
 */
import { Command, CommanderError } from 'commander';
import { InputError } from '../input-error.js';
import { usageErrorLine } from './usage-error.js';
import { VERSION } from '../version.js';
import { registerOptimum } from './commands/optimum.js';
import { registerSolve } from './commands/solve.js';
import { registerDataset } from './commands/dataset.js';
import { registerServe } from './commands/serve.js';
import { registerBench } from './commands/bench.js';
import { registerTrain } from './commands/train.js';
import { registerEvaluate } from './commands/evaluate.js';
import { registerKpi } from './commands/kpi.js';
import { registerKpiDetect } from './commands/kpi-detect.js';
import { registerExport } from './commands/export.js';
import { registerUpgradeModel } from './commands/upgrade-model.js';

const COMMANDS: Array<(program: Command) => void> = [registerDataset, registerOptimum, registerSolve, registerBench, registerServe, registerTrain, registerEvaluate, registerKpi, registerKpiDetect, registerExport, registerUpgradeModel];

/**
 * Runs the program; resolves to the exit code: 0 done, 2 bad input (one line naming the
 * option and the rule on stderr), 1 a bug ("internal error" with its stack).
 */
export async function main(argv: string[]): Promise<number> {
  const program = new Command('radio-mtl')
    .description('Multi-task DNN power allocation and 5G KPI monitoring')
    .version(VERSION)
    .exitOverride()
    // Errors are printed below as one line; help goes to stdout on --help only.
    .configureOutput({ outputError: () => undefined, writeErr: () => undefined });
  for (const register of COMMANDS) register(program);
  // The command being parsed: commander enters subcommands through this hook.
  let running = program;
  const track = (command: Command) => {
    command.hook('preSubcommand', (_parent, sub) => {
      running = sub;
    });
    command.commands.forEach(track);
  };
  track(program);
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (err) {
    if (err instanceof CommanderError && err.exitCode === 0) return 0;
    if (err instanceof CommanderError || err instanceof InputError) {
      process.stderr.write(`radio-mtl: ${err instanceof CommanderError ? usageErrorLine(err, running) : err.message}\n`);
      return 2;
    }
    process.stderr.write(`radio-mtl: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return 1;
  }
}
