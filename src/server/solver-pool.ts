/**
 * Exact and IPM solves off the event loop. Cheap solves (a few milliseconds at most) run
 * inline; anything heavier (the IPM, large exact batches, sum-capacity's lambda* Monte Carlo
 * for a new N) runs on a worker thread (piscina), so health checks and cheap requests keep
 * being answered. A task whose request ran out of time, or whose client left, is aborted:
 * piscina terminates the thread running it.
 */
import { availableParallelism } from 'node:os';
import { cachedLambda, rememberLambda, solveBatch, SolverChoiceError, type BatchSolution, type ClassicalSolver, type SolveBatchOptions } from '../solvers/solve-batch.js';
import { SUM_CAPACITY_DEFAULTS, type Problem } from '../solvers/params.js';
import type { SolveTask, SolveTaskResult } from './solver-worker.js';
import { LazyWorkerPool } from './lazy-worker-pool.js';

/** Gains solved inline at most by the exact solver (~0.25 us each: a few ms). */
const INLINE_MAX_GAINS = 16_384;

/** Tasks waiting for a thread at most; beyond, callers get PoolFullError (503 queue-full). */
const MAX_QUEUED_TASKS = 256;

export class PoolFullError extends Error {
  override name = 'PoolFullError';
}

/** A task aborted because its request's time ran out or its client disconnected. */
export class SolveAbortedError extends Error {
  override name = 'SolveAbortedError';
}

export function defaultSolverThreads(): number {
  return Math.max(1, availableParallelism() - 1);
}

export class SolverPool {
  private readonly pool: LazyWorkerPool;

  constructor(threads: number = defaultSolverThreads()) {
    this.pool = new LazyWorkerPool('solver-worker', { minThreads: threads, maxThreads: threads });
  }

  /** Whether `solveBatch` would run this inline (cheap) rather than on a thread. */
  runsInline(problem: Problem, solver: ClassicalSolver, rows: number[][], options: SolveBatchOptions = {}): boolean {
    if (solver !== 'exact') return false;
    if (rows.length * rows[0].length > INLINE_MAX_GAINS) return false;
    return problem === 'fdma-delay' || options.lambda !== undefined || cachedLambda(options.sumCapacity ?? SUM_CAPACITY_DEFAULTS, rows[0].length) !== undefined;
  }

  /**
   * solveBatch, inline or on a worker thread (aborted when `abortSignal()`'s signal fires);
   * throws SolverChoiceError, PoolFullError, SolveAbortedError.
   */
  async solve(problem: Problem, solver: ClassicalSolver, rows: number[][], options: SolveBatchOptions = {}, abortSignal?: () => AbortSignal | undefined): Promise<BatchSolution> {
    if (this.runsInline(problem, solver, rows, options)) return solveBatch(problem, solver, rows, options);
    const signal = abortSignal?.();
    const pool = this.pool.get();
    if (pool.queueSize >= MAX_QUEUED_TASKS) throw new PoolFullError(`the solver queue is full (${MAX_QUEUED_TASKS} tasks waiting); retry shortly`);
    let result: SolveTaskResult;
    try {
      result = (await pool.run({ problem, solver, rows, options } satisfies SolveTask, { signal })) as SolveTaskResult;
    } catch (err) {
      if (signal?.aborted) throw new SolveAbortedError('the solve was aborted: its request ran out of time or its client left');
      throw err;
    }
    if (!result.ok) throw new SolverChoiceError(result.refusal);
    const { solution } = result;
    if (problem === 'sum-capacity' && solution.lambda !== undefined && options.lambda === undefined) {
      rememberLambda(options.sumCapacity ?? SUM_CAPACITY_DEFAULTS, rows[0].length, solution.lambda);
    }
    return solution;
  }

  /** Starts the threads now, so the first heavy request does not wait for them. */
  warmUp(): void {
    this.pool.get();
  }

  /** Ends the threads (after the running tasks). */
  close(): Promise<void> {
    return this.pool.close();
  }
}
