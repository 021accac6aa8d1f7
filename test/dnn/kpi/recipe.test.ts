/** The KPI recipe is one thing: the defaults of `train kpi`, and what the shipped model was trained with. */
import { readFileSync } from 'node:fs';
import { modelFilePath } from '../../../src/dnn/model-io.js';
import { Command } from 'commander';
import { registerTrain } from '../../../src/cli/commands/train.js';
import { KPI_RECIPE } from '../../../src/dnn/kpi/recipe.js';

test('`train kpi` with only --data and --out trains the recipe', () => {
  const program = new Command();
  registerTrain(program);
  const kpi = program.commands.find((c) => c.name() === 'train')?.commands.find((c) => c.name() === 'kpi');
  const defaults = Object.fromEntries((kpi?.options ?? []).map((o) => [o.attributeName(), o.defaultValue]));
  expect(defaults).toMatchObject({ arch: KPI_RECIPE.arch, hidden: KPI_RECIPE.hidden, window: KPI_RECIPE.window, epochs: KPI_RECIPE.epochs, patience: KPI_RECIPE.patience, weighting: KPI_RECIPE.weighting, ema: KPI_RECIPE.ema, seed: KPI_RECIPE.seed, inputs: KPI_RECIPE.inputs, levelShiftDb: KPI_RECIPE.levelShiftDb });
  // Residual outputs are on unless --no-residual is given.
  expect(KPI_RECIPE.residual && kpi?.options.some((o) => o.long === '--no-residual' && o.negate)).toBe(true);
  // --context has no fixed default (it follows a shorter --window); its help states the recipe's.
  expect(kpi?.options.find((o) => o.long === '--context')?.description).toContain(`default: ${KPI_RECIPE.context}`);
  // --out is required too, unless --from names the model to fine-tune (the action says so: test/cli/commands/train-kpi-ensemble.test.ts).
  expect(kpi?.options.filter((o) => o.required && o.mandatory).map((o) => o.long).sort()).toEqual(['--data']);
});

test("the shipped model's manifest records the recipe", () => {
  type Manifest = {
    arch: string;
    window: number;
    inputs?: string;
    config: { hidden: number; context: number; residual: boolean; seed: number };
    training: { options: { epochs: number; patience: number; weighting: string; ema: number; seed: number; levelShiftDb?: number } };
  };
  const m = (JSON.parse(readFileSync(modelFilePath('models/kpi-ple', 'model.json'), 'utf8')) as { manifest: Manifest }).manifest;
  // Models saved before inputs and level shifts were options: min-max per file, no shift.
  expect({ inputs: m.inputs ?? 'file-minmax', levelShiftDb: m.training.options.levelShiftDb ?? 0 }).toEqual({ inputs: KPI_RECIPE.inputs, levelShiftDb: KPI_RECIPE.levelShiftDb });
  expect({ arch: m.arch, hidden: m.config.hidden, window: m.window, context: m.config.context, residual: m.config.residual, seed: m.config.seed }).toEqual({
    arch: KPI_RECIPE.arch,
    hidden: KPI_RECIPE.hidden,
    window: KPI_RECIPE.window,
    context: KPI_RECIPE.context,
    residual: KPI_RECIPE.residual,
    seed: KPI_RECIPE.seed,
  });
  const o = m.training.options;
  expect({ epochs: o.epochs, patience: o.patience, weighting: o.weighting, ema: o.ema, seed: o.seed }).toEqual({
    epochs: KPI_RECIPE.epochs,
    patience: KPI_RECIPE.patience,
    weighting: KPI_RECIPE.weighting,
    ema: KPI_RECIPE.ema,
    seed: KPI_RECIPE.seed,
  });
});
