/**
 * `radio-mtl train <what>`: the parent of every training command. Each model family
 * registers a subcommand on it: add its registrar to TRAIN_SUBCOMMANDS
 * (e.g. `train allocation` here, `train kpi` in train-kpi.ts).
 */
import type { Command } from 'commander';
import { registerTrainAllocation } from './train-allocation.js';
import { registerTrainKpi } from './train-kpi.js';

export const TRAIN_SUBCOMMANDS: Array<(train: Command) => void> = [registerTrainAllocation, registerTrainKpi];

/** Creates `train` on the program, registers the subcommands and returns it. */
export function registerTrain(program: Command, subcommands = TRAIN_SUBCOMMANDS): Command {
  const train = program.command('train').description('Train a model (see `radio-mtl train <what> --help`)');
  for (const register of subcommands) register(train);
  return train;
}
