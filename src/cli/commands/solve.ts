/** `radio-mtl solve`: power allocations for a batch of gain vectors from a JSON file. */
import type { Command } from 'commander';
import { fileURLToPath } from 'node:url';
import { parseChoice, parseNumberOption } from '../options.js';
import { readJsonInput } from '../read-input.js';
import { underOption, writingTo } from '../errors.js';
import { InputError } from '../../input-error.js';
import { writeFileAtomic } from '../../io/atomic-write.js';
import { PROBLEMS, SUM_CAPACITY_DEFAULTS, BUDGET_MODES, type BudgetMode, type Problem } from '../../solvers/params.js';
import { parseGainsBatch } from '../../solvers/gains-input.js';
import { scoreBatch, solveBatch, type ClassicalSolver } from '../../solvers/solve-batch.js';
import { loadAllocationNetwork } from '../../dnn/allocation/model.js';
import { createAllocationPredictor } from '../../dnn/allocation/predict.js';
import { initEngine } from '../../dnn/engine.js';

const SOLVERS = ['exact', 'ipm', 'dnn'] as const;

interface SolveOptions {
  problem: Problem;
  solver: (typeof SOLVERS)[number];
  input: string;
  output?: string;
  lambda?: number;
  budget: BudgetMode;
  model?: string;
}

export function registerSolve(program: Command): void {
  program
    .command('solve')
    .description('Allocate power for every gain vector in a JSON file {"gains": [[...], ...]}')
    .requiredOption('--problem <name>', `problem: ${PROBLEMS.join(' | ')}`, parseChoice(PROBLEMS))
    .option('--solver <name>', `solver: ${SOLVERS.join(' | ')}`, parseChoice(SOLVERS), 'exact')
    .requiredOption('--input <file>', "JSON file with {\"gains\": [[...], ...]}, or '-' for stdin")
    .option('--output <file>', 'write the JSON result here instead of stdout')
    .option('--lambda <value>', 'sum-capacity dual variable (bits/s/Hz per W); default: lambda* for the budget', parseNumberOption(0))
    .option('--budget <mode>', 'sum-capacity budget for the default lambda*: per-user | total', parseChoice(BUDGET_MODES), 'per-user')
    .option('--model <dir>', 'trained allocation model directory for --solver dnn (default: the shipped routed model, N = 5..20)')
    .action(async (opts: SolveOptions) => {
      const doc = readJsonInput(opts.input);
      if (typeof doc !== 'object' || doc === null || !('gains' in doc)) {
        throw new InputError('--input', `'${opts.input}' must hold a JSON object with a "gains" array`);
      }
      const gains = underOption('--input', () => parseGainsBatch((doc as { gains: unknown }).gains, opts.problem));
      const started = performance.now();
      let result: Record<string, unknown>;
      if (opts.solver === 'dnn') {
        result = await solveWithDnn(opts, gains);
      } else {
        const sumCapacity = { ...SUM_CAPACITY_DEFAULTS, budgetMode: opts.budget };
        result = { ...underOption('--solver', () => solveBatch(opts.problem, opts.solver as ClassicalSolver, gains, { lambda: opts.lambda, sumCapacity })) };
      }
      const out = { problem: opts.problem, solver: opts.solver, ...result, elapsedMs: performance.now() - started };
      const text = `${JSON.stringify(out)}\n`;
      if (opts.output) writingTo('--output', opts.output, () => writeFileAtomic(opts.output as string, text));
      else process.stdout.write(text);
    });
}

/** The routed model shipped with the package, found from this file rather than the working directory. */
export const SHIPPED_ALLOCATION_MODEL = fileURLToPath(new URL('../../../models/allocation-routed', import.meta.url));

async function solveWithDnn(opts: SolveOptions, gains: number[][]): Promise<Record<string, unknown>> {
  const dir = opts.model ?? SHIPPED_ALLOCATION_MODEL;
  if (opts.model === undefined) process.stderr.write(`radio-mtl: --model not given: using the shipped model ${dir}\n`);
  await initEngine();
  const { net, manifest, modelSha256 } = underOption('--model', () => loadAllocationNetwork(dir));
  let fallback: string | undefined;
  const predictor = await createAllocationPredictor(net, { onFallback: (reason) => (fallback = reason) });
  try {
    const power = await underOption('--input', () => predictor.allocate(opts.problem, gains));
    const { fdmaDelay, sumCapacity } = manifest.params;
    const score = scoreBatch(opts.problem, gains, power, { fdma: fdmaDelay, sumCapacity });
    const engine = { engine: predictor.engine, ...(fallback === undefined ? {} : { engineFallback: fallback }) };
    return { power, ...score, model: { dir, scheme: manifest.scheme, sha256: modelSha256, ...engine } };
  } finally {
    await predictor.dispose();
    net.dispose();
  }
}
