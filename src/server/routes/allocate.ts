/** POST /v1/allocate: dnn (dynamically batched), exact or ipm power allocation. */
import type { Request, Response } from 'express';
import type { Problem } from '../../solvers/params.js';
import { checkGainRows, type GainField } from '../../solvers/gains-input.js';
import { SolverChoiceError, type BatchSolution, type ClassicalSolver, type SolveBatchOptions } from '../../solvers/solve-batch.js';
import { PoolFullError, SolveAbortedError } from '../solver-pool.js';
import { allocateWithModel, NonFiniteOutputError, UnsupportedSizeError, type AllocationAnswer, type AllocationServable } from '../../dnn/allocation/service.js';
import { QueueFullError } from '../batcher.js';
import { requestSignal, sendValidated, type AppContext } from '../context.js';
import { ApiError, checkInput, inputProblem } from '../errors.js';
import { solverLimit, type SolverName } from '../limits.js';
import type { components } from '../generated/api.js';
import { validateBody } from './validate.js';
import { allocateInterferenceRequest, runInterferenceBatch } from './allocate-interference.js';
import { InputError } from '../../input-error.js';

type AllocateRequest = components['schemas']['AllocateRequest'];
type AllocateResponse = components['schemas']['AllocateResponse'];
type SolvedBy = components['schemas']['SolvedBy'];

const KEY_SEP = '\u0000';

/** Batch key: one forward pass serves one model, problem and N. */
export function allocationKey(model: string, problem: Problem | 'interference', n: number): string {
  return `${model}${KEY_SEP}${problem}${KEY_SEP}${n}`;
}

/** Runs one batched forward pass (the DynamicBatcher's `run`). */
export function runAllocationBatch(ctx: Pick<AppContext, 'registry'>, key: string, rows: number[][]): Promise<number[][]> | number[][] {
  const [name, problem, n] = key.split(KEY_SEP);
  const model = ctx.registry.byName(name);
  if (model?.kind === 'interference') return runInterferenceBatch(model, Number(n), rows);
  if (!model || model.kind !== 'allocation') throw new ApiError('model-not-loaded', `allocation model '${name}' is not loaded`);
  return model.allocate(problem as Problem, rows);
}

/** Fields named as JSON pointers without the leading slash: `gains/3/1` in a batch, `gains/1` for one instance. */
const gainField =
  (batch: boolean): GainField =>
  (row, column) =>
    ['gains', ...(batch ? [row] : []), column].filter((part) => part !== undefined).join('/');

/** An exact/IPM batch solve through the solver pool, its refusals as API errors. */
async function solveClassical(ctx: AppContext, res: Response, problem: Problem, solver: ClassicalSolver, rows: number[][], options?: SolveBatchOptions): Promise<BatchSolution> {
  try {
    return await ctx.solverPool.solve(problem, solver, rows, options, () => requestSignal(res));
  } catch (err) {
    if (err instanceof SolverChoiceError) throw new ApiError('unsupported-solver', err.message);
    if (err instanceof PoolFullError) throw new ApiError('queue-full', err.message, undefined, { 'Retry-After': '1' });
    if (err instanceof SolveAbortedError) throw new ApiError('timeout', `${solver}: ${err.message}`, undefined, { 'Retry-After': '1' });
    throw err;
  }
}

/** The allocation service's answer, its forward passes through the batcher and its exact solves through the pool. */
async function allocateWithFallback(ctx: AppContext, res: Response, model: AllocationServable, problem: Problem, rows: number[][], field: GainField): Promise<AllocationAnswer> {
  try {
    return await allocateWithModel(model, problem, rows, {
      field,
      dnn: async (dnnRows) => {
        try {
          return await ctx.allocationBatcher.submit(allocationKey(model.name, problem, rows[0].length), dnnRows);
        } catch (err) {
          if (err instanceof QueueFullError) throw new ApiError('queue-full', err.message, undefined, { 'Retry-After': '1' });
          throw err;
        }
      },
      exact: async (exactRows, params) => (await solveClassical(ctx, res, problem, 'exact', exactRows, { fdma: params.fdmaDelay, sumCapacity: params.sumCapacity })).power,
    });
  } catch (err) {
    if (err instanceof UnsupportedSizeError) throw inputProblem(err, 'unsupported-size');
    if (err instanceof NonFiniteOutputError) throw new ApiError('non-finite-output', err.message);
    throw err;
  }
}

function pickModel(ctx: AppContext, body: AllocateRequest): AllocationServable {
  const models = ctx.registry.allocationModels();
  if (body.model !== undefined) {
    const m = models.find((x) => x.name === body.model);
    if (!m) {
      throw new ApiError('unknown-model', `model: no allocation model named '${body.model}' is loaded (loaded: ${models.map((x) => x.name).join(', ') || 'none'})`);
    }
    return m;
  }
  if (models.length === 0) {
    throw new ApiError(
      'model-not-loaded',
      ctx.registry.loaded
        ? 'solver dnn: no allocation model is loaded (see GET /v1/models for refused ones); use solver exact or ipm'
        : 'solver dnn: models are still loading; retry shortly',
      undefined,
      { 'Retry-After': '1' },
    );
  }
  if (body.scheme !== undefined) {
    const m = models.find((x) => x.scheme === body.scheme);
    if (!m) throw new ApiError('unknown-model', `scheme: no loaded allocation model uses scheme '${body.scheme}' (loaded: ${[...new Set(models.map((x) => x.scheme))].join(', ')})`);
    return m;
  }
  return models.find((x) => x.scheme === 'routed') ?? models[0];
}

function assertFinite(power: number[][], objective: number[], what: string): void {
  if (!power.every((row) => row.every(Number.isFinite)) || !objective.every(Number.isFinite)) {
    throw new ApiError('non-finite-output', `${what} produced a non-finite answer; nothing was returned`);
  }
}

/**
 * Validates a /v1/allocate body and answers it: the one implementation behind /v1/allocate
 * and the allocation models of the Open Inference Protocol.
 */
export async function allocate(ctx: AppContext, res: Response, rawBody: unknown): Promise<AllocateResponse> {
  const started = performance.now();
  const body = validateBody<AllocateRequest>(ctx, 'allocate', rawBody);
  if (body.problem === 'interference') {
    return allocateInterferenceRequest(ctx, body, started, async (model, k, rows) => {
      try {
        return await ctx.allocationBatcher.submit(allocationKey(model, 'interference', k), rows);
      } catch (err) {
        if (err instanceof QueueFullError) throw new ApiError('queue-full', err.message, undefined, { 'Retry-After': '1' });
        throw err;
      }
    });
  }
  const batch = Array.isArray(body.gains[0]);
  const rows = (batch ? body.gains : [body.gains]) as number[][];
  const problem = body.problem;
  if (batch && rows.some((r) => r.some(Array.isArray))) {
    throw inputProblem(new InputError('gains/0/0', `must be a number: K x K matrices are for problem interference; ${problem} takes one gain vector or a batch of them`), 'invalid-gains');
  }
  const solver = (body.solver ?? 'dnn') as SolverName;
  // The schema checked types and sizes; the shared validator checks shape and domain.
  checkInput('invalid-gains', () => checkGainRows(rows, problem, gainField(batch)));
  const n = rows[0].length;
  let power: number[][];
  let score: Pick<BatchSolution, 'objective' | 'constraintViolation'>;
  let modelName: string | null = null;
  let lambda: number | undefined;
  let solvedBy: SolvedBy[] | undefined;
  if (solver === 'dnn') {
    const model = pickModel(ctx, body);
    ({ power, solvedBy, ...score } = await allocateWithFallback(ctx, res, model, problem, rows, gainField(batch)));
    modelName = model.name;
  } else {
    const limit = solverLimit(problem, solver);
    if (solver === 'ipm' && problem === 'sum-capacity') {
      throw new ApiError('unsupported-solver', "solver: 'ipm' solves fdma-delay only; use 'exact' or 'dnn' for sum-capacity");
    }
    if (limit !== undefined && n > limit) {
      throw new ApiError('too-many-users', `gains: N = ${n} is above the ${solver} limit for ${problem} (N <= ${limit})`, [
        { field: batch ? '/gains/0' : '/gains', message: `must have at most ${limit} items for solver ${solver}` },
      ]);
    }
    const sol = await solveClassical(ctx, res, problem, solver, rows);
    ({ power, lambda } = sol);
    score = sol;
  }
  const { objective, constraintViolation } = score;
  if (solver !== 'dnn') assertFinite(power, objective, `solver ${solver}`);
  ctx.metrics.allocations.inc({ solver, problem }, rows.length);
  return {
    problem,
    solver,
    model: modelName,
    n,
    batch,
    power: batch ? power : power[0],
    objective: batch ? objective : objective[0],
    constraintViolation: batch ? constraintViolation : constraintViolation[0],
    ...(lambda !== undefined ? { lambda } : {}),
    ...(solvedBy !== undefined ? { solvedBy: batch ? solvedBy : solvedBy[0] } : {}),
    elapsedMs: performance.now() - started,
  };
}

export function allocateHandler(ctx: AppContext) {
  return async (req: Request, res: Response): Promise<void> => sendValidated(ctx, res, 'allocate', 200, await allocate(ctx, res, req.body));
}
