/**
 * Request limits (documented in openapi.yaml and reported by GET /v1/tasks). The schema's
 * own maxItems bound the batch and N for every solver; the per-solver caps below keep one
 * request's CPU time bounded (the IPM is O(N^3) per iteration; sum-capacity's lambda* for a
 * new N costs a Monte Carlo run of 200,000 samples x N).
 */
import type { Problem } from '../solvers/params.js';

export type SolverName = 'dnn' | 'exact' | 'ipm';

export interface SolverLimit {
  problem: Problem;
  solver: SolverName;
  maxUsers: number;
}

export const SOLVER_LIMITS: readonly SolverLimit[] = [
  { problem: 'fdma-delay', solver: 'exact', maxUsers: 1000 },
  { problem: 'fdma-delay', solver: 'ipm', maxUsers: 256 },
  { problem: 'sum-capacity', solver: 'exact', maxUsers: 64 },
];

export function solverLimit(problem: Problem, solver: SolverName): number | undefined {
  return SOLVER_LIMITS.find((l) => l.problem === problem && l.solver === solver)?.maxUsers;
}
