/** `radio-mtl solve`: power allocations for a batch of gain vectors from a JSON file. */
import type { Command } from 'commander';
import { fileURLToPath } from 'node:url';
import { parseChoice, parseIntOption, parseNumberOption } from '../options.js';
import { readJsonInput } from '../read-input.js';
import { underOption, writingTo } from '../errors.js';
import { InputError } from '../../input-error.js';
import { writeFileAtomic } from '../../io/atomic-write.js';
import { DATASET_PROBLEMS, INTERFERENCE, SUM_CAPACITY_DEFAULTS, BUDGET_MODES, type BudgetMode, type DatasetProblem, type Problem } from '../../solvers/params.js';
import { parseGainsBatch } from '../../solvers/gains-input.js';
import { scoreBatch, solveBatch, type ClassicalSolver } from '../../solvers/solve-batch.js';
import { loadAllocationNetwork } from '../../dnn/allocation/model.js';
import { createAllocationPredictor } from '../../dnn/allocation/predict.js';
import { initEngine } from '../../dnn/engine.js';
import { INTERFERENCE_SOLVERS, SOLVE_INTERFERENCE_DEFAULTS, solveInterference } from './solve-interference.js';

const SOLVERS = ['exact', 'ipm', 'dnn'] as const;
const ALL_SOLVERS = [...SOLVERS, ...INTERFERENCE_SOLVERS.filter((s) => s !== 'dnn')];

interface SolveOptions {
  problem: Problem;
  solver: (typeof SOLVERS)[number];
  input: string;
  output?: string;
  lambda?: number;
  budget: BudgetMode;
  model?: string;
  starts: number;
  iterations: number;
  tolerance: number;
  seed: number;
}

export function registerSolve(program: Command): void {
  program
    .command('solve')
    .description('Allocate power for every gain vector in a JSON file {"gains": [[...], ...]}')
    .requiredOption('--problem <name>', `problem: ${DATASET_PROBLEMS.join(' | ')}`, parseChoice(DATASET_PROBLEMS))
    .option('--solver <name>', `solver: ${SOLVERS.join(' | ')} (default exact); interference: ${INTERFERENCE_SOLVERS.join(' | ')} (default wmmse)`, parseChoice(ALL_SOLVERS))
    .requiredOption('--input <file>', "JSON file with {\"gains\": [[...], ...]}, or '-' for stdin")
    .option('--output <file>', 'write the JSON result here instead of stdout')
    .option('--lambda <value>', 'sum-capacity dual variable (bits/s/Hz per W); default: lambda* for the budget', parseNumberOption(0))
    .option('--budget <mode>', 'sum-capacity budget for the default lambda*: per-user | total', parseChoice(BUDGET_MODES), 'per-user')
    .option('--model <dir>', 'trained allocation model directory for --solver dnn (default: the shipped routed model, N = 5..20)')
    .option('--starts <n>', 'interference WMMSE: best of n random starts (1: one run from full power)', parseIntOption(1), SOLVE_INTERFERENCE_DEFAULTS.starts)
    .option('--iterations <n>', 'interference WMMSE: iteration cap', parseIntOption(1), SOLVE_INTERFERENCE_DEFAULTS.iterations)
    .option('--tolerance <bits>', 'interference WMMSE: stop once an iteration gains at most this much sum rate', parseNumberOption(0), SOLVE_INTERFERENCE_DEFAULTS.tolerance)
    .option('--seed <int>', 'interference WMMSE: seed of the random starts', parseIntOption(), SOLVE_INTERFERENCE_DEFAULTS.seed)
    .action(async (opts: SolveOptions) => {
      const doc = readJsonInput(opts.input);
      if (typeof doc !== 'object' || doc === null || !('gains' in doc)) {
        throw new InputError('--input', `'${opts.input}' must hold a JSON object with a "gains" array`);
      }
      if ((opts.problem as DatasetProblem) === INTERFERENCE) return printResult(opts, await interferenceResult(opts, (doc as { gains: unknown }).gains));
      opts.solver ??= 'exact';
      if (!(SOLVERS as readonly string[]).includes(opts.solver)) throw new InputError('--solver', `${opts.problem} takes ${SOLVERS.join(' | ')}, got '${opts.solver}'`);
      const gains = underOption('--input', () => parseGainsBatch((doc as { gains: unknown }).gains, opts.problem));
      const started = performance.now();
      let result: Record<string, unknown>;
      if (opts.solver === 'dnn') {
        result = await solveWithDnn(opts, gains);
      } else {
        const sumCapacity = { ...SUM_CAPACITY_DEFAULTS, budgetMode: opts.budget };
        result = { ...underOption('--solver', () => solveBatch(opts.problem, opts.solver as ClassicalSolver, gains, { lambda: opts.lambda, sumCapacity })) };
      }
      printResult(opts, { problem: opts.problem, solver: opts.solver, ...result, elapsedMs: performance.now() - started });
    });
}

function printResult(opts: SolveOptions, out: Record<string, unknown>): void {
  const text = `${JSON.stringify(out)}\n`;
  if (opts.output) writingTo('--output', opts.output, () => writeFileAtomic(opts.output as string, text));
  else process.stdout.write(text);
}

async function interferenceResult(opts: SolveOptions, gains: unknown): Promise<Record<string, unknown>> {
  const solver = (opts.solver ?? 'wmmse') as (typeof INTERFERENCE_SOLVERS)[number];
  if (!(INTERFERENCE_SOLVERS as readonly string[]).includes(solver)) throw new InputError('--solver', `interference takes ${INTERFERENCE_SOLVERS.join(' | ')}, got '${solver}'`);
  const started = performance.now();
  const result = await solveInterference({ ...opts, solver }, gains);
  return { problem: INTERFERENCE, solver, ...result, elapsedMs: performance.now() - started };
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
