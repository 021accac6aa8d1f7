/**
 * The allocation service: raw gain vectors in, power allocations out. The server's routes
 * (/v1/allocate, /v2), the CLI (`solve --solver dnn`) and the library (`openModel`) all answer
 * through it, so one input gets one answer everywhere. Inside: the gain-domain and
 * served-size checks, the trusted-gain-range fallback to the exact solver
 * (trusted-inputs.ts), and the score under the model's own problem parameters. Callers
 * choose only how forward passes and exact solves run (the server batches the first
 * across requests and runs the second on worker threads).
 */
import type { LoadedModel } from '../loaded-model.js';
import { bracketField, checkGainRows, type GainField } from '../../solvers/gains-input.js';
import type { FdmaDelayParams, Problem, SumCapacityParams } from '../../solvers/params.js';
import { scoreBatch, solveBatch } from '../../solvers/solve-batch.js';
import { InputError } from '../../input-error.js';
import { DEFAULT_ALLOCATION_PARAMS, type AllocationParams } from './tasks.js';
import { isTrustedInstance, trustedGainRange } from './trusted-inputs.js';

export interface AllocationTaskRef {
  problem: Problem;
  n: number;
}

/** A loaded allocation model as the service and the server's registry hold it. */
export interface AllocationServable extends LoadedModel {
  kind: 'allocation';
  scheme: string;
  tasks: AllocationTaskRef[];
  /** Problem parameters the model was trained with (objective and constraints use them); default params.ts. */
  params?: { fdmaDelay: FdmaDelayParams; sumCapacity: SumCapacityParams };
  /** The raw forward pass: powers (W) for a batch of gain vectors of one task, no fallback. */
  allocate(problem: Problem, gains: number[][]): Promise<number[][]> | number[][];
}

/** Who answered an instance: the network, or the exact solver for a gain outside the trusted range. */
export type SolvedBy = 'dnn' | 'exact';

export interface AllocationAnswer {
  /** Powers (W), one row per instance. */
  power: number[][];
  objective: number[];
  constraintViolation: number[];
  solvedBy: SolvedBy[];
}

/** How the service runs its two kinds of work (default: the model's forward pass, the exact solver inline). */
export interface AllocationRunners {
  dnn?: (rows: number[][]) => Promise<number[][]>;
  exact?: (rows: number[][], params: AllocationParams) => Promise<number[][]>;
  /** How a gain is named in errors (default `gains[3][1]`). */
  field?: GainField;
}

/** A request for a problem or N the model was not trained for. */
export class UnsupportedSizeError extends InputError {
  override name = 'UnsupportedSizeError';
}

/** A forward pass or solve that produced NaN or Infinity: nothing is returned. */
export class NonFiniteOutputError extends Error {
  override name = 'NonFiniteOutputError';
}

/** The problem parameters a model was trained with. */
export function modelParams(model: Pick<AllocationServable, 'params'>): AllocationParams {
  return model.params ?? DEFAULT_ALLOCATION_PARAMS;
}

function checkServed(model: AllocationServable, problem: Problem, n: number, field: GainField): void {
  if (model.tasks.some((t) => t.problem === problem && t.n === n)) return;
  const sizes = model.tasks.filter((t) => t.problem === problem).map((t) => t.n);
  throw new UnsupportedSizeError(
    field(0),
    `N = ${n} is not served by model '${model.name}' for ${problem}; served sizes: ${sizes.join(', ') || 'none'} (solver exact accepts any N up to its limit)`,
  );
}

function assertFinite(answer: Pick<AllocationAnswer, 'power' | 'objective'>, what: string): void {
  if (!answer.power.every((row) => row.every(Number.isFinite))) throw new NonFiniteOutputError(`${what} produced a non-finite power; nothing was returned`);
  if (!answer.objective.every(Number.isFinite)) throw new NonFiniteOutputError(`${what} produced a non-finite objective; nothing was returned`);
}

const exactInline = async (problem: Problem, rows: number[][], params: AllocationParams) =>
  solveBatch(problem, 'exact', rows, { fdma: params.fdmaDelay, sumCapacity: params.sumCapacity }).power;

/**
 * The model's powers for the instances inside the range it was trained on, the exact
 * optimum for the others (`solvedBy` says which answered each), scored under the model's
 * parameters. `rows` are raw gains of one N; InputError for a gain outside the domain or an
 * N the model does not serve, NonFiniteOutputError for a broken model.
 */
export async function allocateWithModel(model: AllocationServable, problem: Problem, rows: number[][], runners: AllocationRunners = {}): Promise<AllocationAnswer> {
  const field = runners.field ?? bracketField('gains');
  checkGainRows(rows, problem, field);
  checkServed(model, problem, rows[0].length, field);
  const params = modelParams(model);
  const range = trustedGainRange(problem, params);
  const solvedBy: SolvedBy[] = rows.map((r) => (isTrustedInstance(r, range) ? 'dnn' : 'exact'));
  const pick = (by: SolvedBy) => rows.filter((_, i) => solvedBy[i] === by);
  const dnnRows = pick('dnn');
  const exactRows = pick('exact');
  const dnn = runners.dnn ?? (async (r: number[][]) => model.allocate(problem, r));
  const exact = runners.exact ?? ((r: number[][], p: AllocationParams) => exactInline(problem, r, p));
  const dnnPower = dnnRows.length > 0 ? await dnn(dnnRows) : [];
  const exactPower = exactRows.length > 0 ? await exact(exactRows, params) : [];
  let nextDnn = 0;
  let nextExact = 0;
  const power = solvedBy.map((by) => (by === 'dnn' ? dnnPower[nextDnn++] : exactPower[nextExact++]));
  const score = scoreBatch(problem, rows, power, { fdma: params.fdmaDelay, sumCapacity: params.sumCapacity });
  assertFinite({ power, objective: score.objective }, `model '${model.name}'`);
  return { power, ...score, solvedBy };
}
