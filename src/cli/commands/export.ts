/**
 * `radio-mtl export <format>`: the parent of every export command (`export onnx` in
 * export-onnx.ts); add a format's registrar to EXPORT_SUBCOMMANDS.
 */
import type { Command } from 'commander';
import { registerExportOnnx } from './export-onnx.js';

const EXPORT_SUBCOMMANDS: Array<(exportCommand: Command) => void> = [registerExportOnnx];

/** Creates `export` on the program, registers the subcommands and returns it. */
export function registerExport(program: Command, subcommands = EXPORT_SUBCOMMANDS): Command {
  const exportCommand = program.command('export').description('Export a trained model (see `radio-mtl export <format> --help`)');
  for (const register of subcommands) register(exportCommand);
  return exportCommand;
}
