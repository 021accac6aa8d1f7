/**
 * `radio-mtl upgrade-model DIR...`: converts models saved by an older radio-mtl in the flat
 * layout into the versioned layout that today's loader verifies (src/dnn/upgrade-model-layout.ts).
 * One line per directory on stderr; a directory already versioned is left as it is.
 */
import type { Command } from 'commander';
import { upgradeModelLayout } from '../../dnn/upgrade-model-layout.js';

function upgradeAll(dirs: string[]): void {
  for (const dir of dirs) {
    const outcome = upgradeModelLayout(dir);
    if (!outcome.upgraded) process.stderr.write(`${dir}: already versioned, left as is\n`);
    else process.stderr.write(`${dir}: upgraded to ${outcome.version} (weights sha256 ${outcome.weightsSha256.slice(0, 12)}..., sidecars: ${outcome.sidecars.join(', ') || 'none'})\n`);
  }
}

export function registerUpgradeModel(program: Command): void {
  program
    .command('upgrade-model')
    .description('Convert models saved by an older radio-mtl (flat DIR/model.json) into the versioned layout, byte for byte')
    .argument('<dir...>', 'model directories')
    .action((dirs: string[]) => upgradeAll(dirs));
}
