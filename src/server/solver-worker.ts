/**
 * The worker-thread side of the solver pool: one classical batch solve per task. A solver
 * refusal (SolverChoiceError) comes back as a value, since a custom error class does not
 * survive the trip between threads.
 */
import { solveBatch, SolverChoiceError, type BatchSolution, type ClassicalSolver, type SolveBatchOptions } from '../solvers/solve-batch.js';
import type { Problem } from '../solvers/params.js';

export interface SolveTask {
  problem: Problem;
  solver: ClassicalSolver;
  rows: number[][];
  options: SolveBatchOptions;
}

export type SolveTaskResult = { ok: true; solution: BatchSolution } | { ok: false; refusal: string };

export default function solveTask(task: SolveTask): SolveTaskResult {
  try {
    return { ok: true, solution: solveBatch(task.problem, task.solver, task.rows, task.options) };
  } catch (err) {
    if (err instanceof SolverChoiceError) return { ok: false, refusal: err.message };
    throw err;
  }
}
