/**
 * `radio-mtl solve`: power allocations for gain vectors from a JSON file {"gains": [[...], ...]}
 * or, with --ndjson, one gain vector per line; any number of them, solved CHUNK_SIZE at a time.
 * `--solver dnn` answers through the allocation service, as the server does (instances outside
 * the model's trusted gain range go to the exact solver; `solvedBy` says which).
 */
import { basename } from 'node:path';
import type { Command } from 'commander';
import { fileURLToPath } from 'node:url';
import { parseChoice, parseNumberOption } from '../options.js';
import { underOption } from '../errors.js';
import { readChunks, withSink, type Sink } from '../instances.js';
import { InputError } from '../../input-error.js';
import { DATASET_PROBLEMS, INTERFERENCE, SUM_CAPACITY_DEFAULTS, BUDGET_MODES, type BudgetMode, type DatasetProblem, type Problem } from '../../solvers/params.js';
import { bracketField, parseGainsBatch } from '../../solvers/gains-input.js';
import { solveBatch, type ClassicalSolver } from '../../solvers/solve-batch.js';
import { allocateWithModel, type AllocationServable } from '../../dnn/allocation/service.js';
import { loadAllocationServable } from '../../dnn/allocation/servable.js';
import { resolveEngine } from '../../settings.js';
import { INTERFERENCE_SOLVERS, registerInterferenceOptions, solveInterferenceCommand, type InterferenceCliOptions } from './solve-interference.js';

const SOLVERS = ['exact', 'ipm', 'dnn'] as const;
const ALL_SOLVERS = [...SOLVERS, ...INTERFERENCE_SOLVERS.filter((s) => s !== 'dnn')];

interface SolveOptions extends InterferenceCliOptions {
  problem: Problem;
  solver: (typeof SOLVERS)[number];
  input: string;
  output?: string;
  lambda?: number;
  budget: BudgetMode;
  model?: string;
  ndjson?: boolean;
}

/** The answer for one chunk: per-instance fields (arrays) and batch-wide ones (lambda). */
interface ChunkAnswer {
  perInstance: Record<string, unknown[]>;
  batch?: Record<string, unknown>;
}

type ChunkSolver = (rows: number[][], offset: number) => Promise<ChunkAnswer>;

export function registerSolve(program: Command): void {
  const command = program
    .command('solve')
    .description('Allocate power for every gain vector of a JSON file {"gains": [[...], ...]} (any number of them), or of NDJSON lines')
    .requiredOption('--problem <name>', `problem: ${DATASET_PROBLEMS.join(' | ')}`, parseChoice(DATASET_PROBLEMS))
    .option('--solver <name>', `solver: ${SOLVERS.join(' | ')} (default exact); interference: ${INTERFERENCE_SOLVERS.join(' | ')} (default wmmse)`, parseChoice(ALL_SOLVERS))
    .requiredOption('--input <file>', "JSON file with {\"gains\": [[...], ...]}, or '-' for stdin")
    .option('--ndjson', 'input holds one gain vector per line ([...] or {"gains": [...]}); output is one JSON line per instance')
    .option('--json', 'print the answer as JSON (the default; accepted as every command that reports numbers accepts it)')
    .option('--output <file>', 'write the JSON result here instead of stdout')
    .option('--lambda <value>', 'sum-capacity dual variable (bits/s/Hz per W); default: lambda* for the budget', parseNumberOption(0))
    .option('--budget <mode>', 'sum-capacity budget for the default lambda*: per-user | total', parseChoice(BUDGET_MODES), 'per-user')
    .option('--model <dir>', 'trained allocation model directory for --solver dnn (default: the shipped routed model, N = 5..20)');
  registerInterferenceOptions(command);
  command.action(async (opts: SolveOptions) => {
    if ((opts.problem as DatasetProblem) === INTERFERENCE) return solveInterferenceCommand(opts);
    opts.solver ??= 'exact';
    if (!(SOLVERS as readonly string[]).includes(opts.solver)) throw new InputError('--solver', `${opts.problem} takes ${SOLVERS.join(' | ')}, got '${opts.solver}'`);
    const started = performance.now();
    const { solve, describe } = opts.solver === 'dnn' ? await dnnSolver(opts) : classicalSolver(opts);
    await withSink(opts.output, async (sink) => {
      const answer = await solveAll(opts, solve, sink);
      if (!opts.ndjson) sink.write(`${JSON.stringify({ problem: opts.problem, solver: opts.solver, ...answer, ...describe(), elapsedMs: performance.now() - started })}\n`);
    });
  });
}

/** A gain vector of an NDJSON line: [...] or {"gains": [...]}. */
const lineGains = (item: unknown) => (typeof item === 'object' && item !== null && !Array.isArray(item) && 'gains' in item ? (item as { gains: unknown }).gains : item);

/**
 * Every chunk of the input solved in turn. NDJSON: each instance's answer written as its line;
 * JSON: the per-instance arrays gathered and returned for one document.
 */
async function solveAll(opts: SolveOptions, solve: ChunkSolver, sink: Sink): Promise<Record<string, unknown>> {
  const gathered: Record<string, unknown[]> = {};
  let batch: Record<string, unknown> = {};
  let n: number | undefined;
  let count = 0;
  for await (const chunk of readChunks(opts.input, { key: 'gains', ndjson: opts.ndjson })) {
    const items = opts.ndjson ? chunk.items.map(lineGains) : chunk.items;
    const rows = underOption('--input', () => parseGainsBatch(items, opts.problem, 'gains', chunk.offset));
    n ??= rows[0].length;
    if (rows[0].length !== n) throw new InputError('--input', `gains[${chunk.offset}]: has ${rows[0].length} gains but gains[0] has ${n} (every instance of a batch must have the same N)`);
    const answer = await solve(rows, chunk.offset);
    batch = { ...batch, ...answer.batch };
    const fields = Object.entries(answer.perInstance);
    count += rows.length;
    if (opts.ndjson) rows.forEach((_, i) => sink.write(`${JSON.stringify({ ...Object.fromEntries(fields.map(([k, v]) => [k, v[i]])), ...answer.batch })}\n`));
    else for (const [k, v] of fields) (gathered[k] ??= []).push(...v);
  }
  if (count === 0) throw new InputError('--input', 'gains: must hold at least one gain vector');
  return { ...gathered, ...batch };
}

function classicalSolver(opts: SolveOptions): { solve: ChunkSolver; describe: () => Record<string, unknown> } {
  const sumCapacity = { ...SUM_CAPACITY_DEFAULTS, budgetMode: opts.budget };
  const solve: ChunkSolver = async (rows) => {
    const { power, objective, constraintViolation, iterations, lambda } = underOption('--solver', () =>
      solveBatch(opts.problem, opts.solver as ClassicalSolver, rows, { lambda: opts.lambda, sumCapacity }),
    );
    return { perInstance: { power, objective, constraintViolation, ...(iterations ? { iterations } : {}) }, batch: lambda === undefined ? undefined : { lambda } };
  };
  return { solve, describe: () => ({}) };
}

/** The routed model shipped with the package, found from this file rather than the working directory. */
export const SHIPPED_ALLOCATION_MODEL = fileURLToPath(new URL('../../../models/allocation-routed', import.meta.url));

async function dnnSolver(opts: SolveOptions): Promise<{ solve: ChunkSolver; describe: () => Record<string, unknown> }> {
  const dir = opts.model ?? SHIPPED_ALLOCATION_MODEL;
  if (opts.model === undefined) process.stderr.write(`radio-mtl: --model not given: using the shipped model ${dir}\n`);
  let fallback: string | undefined;
  const engine = resolveEngine(undefined);
  const model: AllocationServable = await underOption('--model', () => loadAllocationServable(dir, basename(dir), { engine, onFallback: (reason) => (fallback = reason) }));
  const solve: ChunkSolver = async (rows, offset) => {
    const field = bracketField('gains', offset);
    const { power, objective, constraintViolation, solvedBy } = await underOption('--input', () => allocateWithModel(model, opts.problem, rows, { field }));
    return { perInstance: { power, objective, constraintViolation, solvedBy } };
  };
  const describe = () => ({ model: { dir, name: model.name, scheme: model.scheme, version: model.version, engine: model.engine, ...(fallback === undefined ? {} : { engineFallback: fallback }) } });
  return { solve, describe };
}
