/**
 * radio-mtl command line program (src/cli/bin.ts runs it). One command per job; each lives in src/cli/commands/
 * and registers itself on the program (add new ones to COMMANDS).
 */
import { Command, CommanderError } from 'commander';
import { UserError } from './errors.js';
import { VERSION } from '../version.js';
import { registerOptimum } from './commands/optimum.js';
import { registerSolve } from './commands/solve.js';
import { registerDataset } from './commands/dataset.js';
import { registerServe } from './commands/serve.js';
import { registerBench } from './commands/bench.js';
import { registerTrain } from './commands/train.js';
import { registerEvaluate } from './commands/evaluate.js';

const COMMANDS: Array<(program: Command) => void> = [registerDataset, registerOptimum, registerSolve, registerBench, registerServe, registerTrain, registerEvaluate];

export async function main(argv: string[]): Promise<number> {
  const program = new Command('radio-mtl')
    .description('Multi-task DNN power allocation and 5G KPI monitoring')
    .version(VERSION)
    .exitOverride()
    .showHelpAfterError();
  for (const register of COMMANDS) register(program);
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    if (err instanceof UserError) {
      process.stderr.write(`radio-mtl: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
}
