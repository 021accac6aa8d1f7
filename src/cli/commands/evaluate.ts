/**
 * `radio-mtl evaluate <what>`: the parent of every evaluation command. Each model
 * family registers a subcommand on it: add its registrar to EVALUATE_SUBCOMMANDS
 * (e.g. `evaluate allocation` here, `evaluate kpi` in evaluate-kpi.ts).
 */
import type { Command } from 'commander';
import { registerEvaluateAllocation } from './evaluate-allocation.js';
import { registerEvaluateKpi } from './evaluate-kpi.js';

export const EVALUATE_SUBCOMMANDS: Array<(evaluate: Command) => void> = [registerEvaluateAllocation, registerEvaluateKpi];

/** Creates `evaluate` on the program, registers the subcommands and returns it. */
export function registerEvaluate(program: Command, subcommands = EVALUATE_SUBCOMMANDS): Command {
  const evaluate = program.command('evaluate').description('Evaluate a trained model (see `radio-mtl evaluate <what> --help`)');
  for (const register of subcommands) register(evaluate);
  return evaluate;
}
