/**
 * Solves a batch of instances with a named classical solver and reports objective
 * and constraint violation per instance: the one entry point for the CLI `solve`
 * command and the HTTP API's exact/ipm solvers.
 */
import { solveFdmaDelayExact } from './fdma-delay-exact.js';
import { solveFdmaDelayIpm, type FdmaDelayIpmOptions } from './ipm.js';
import { solveSumCapacitySample } from './sum-capacity-exact.js';
import { sumCapacityReference } from './sum-capacity-reference.js';
import { boxViolation, fdmaConstraintViolation, fdmaMeanDelay, sumCapacityBits } from './objectives.js';
import { FDMA_DELAY_DEFAULTS, SUM_CAPACITY_DEFAULTS, type FdmaDelayParams, type Problem, type SumCapacityParams } from './params.js';
import { InputError } from '../input-error.js';

export type ClassicalSolver = 'exact' | 'ipm';

export class SolverChoiceError extends InputError {
  override name = 'SolverChoiceError';
}

export interface BatchSolution {
  /** Powers per instance, W. */
  power: number[][];
  /** fdma-delay: mean delay, s; sum-capacity: log2(1 + sum g P), bits/s/Hz. */
  objective: number[];
  /** Largest constraint violation per instance, W (0 when feasible). */
  constraintViolation: number[];
  /** sum-capacity: the dual variable used, bits/s/Hz per W. */
  lambda?: number;
  /** ipm: Newton iterations per instance. */
  iterations?: number[];
}

/** Samples and seed of the Monte Carlo lambda* used when the caller gives none. */
export const DEFAULT_LAMBDA_SAMPLES = 200_000;
export const DEFAULT_LAMBDA_SEED = 1;
const lambdaCache = new Map<string, number>();

const lambdaKey = (params: SumCapacityParams, n: number) => `${JSON.stringify(params)}:${n}`;

/** lambda* for N users (cached): makes the average sum power meet the budget. */
export function optimalLambda(params: SumCapacityParams, n: number): number {
  let lambda = lambdaCache.get(lambdaKey(params, n));
  if (lambda === undefined) {
    lambda = sumCapacityReference(params, n, DEFAULT_LAMBDA_SAMPLES, DEFAULT_LAMBDA_SEED).lambda;
    lambdaCache.set(lambdaKey(params, n), lambda);
  }
  return lambda;
}

/** lambda* for N users if already computed in this thread (no Monte Carlo run). */
export function cachedLambda(params: SumCapacityParams, n: number): number | undefined {
  return lambdaCache.get(lambdaKey(params, n));
}

/** Records lambda* computed elsewhere (another thread) for N users. */
export function rememberLambda(params: SumCapacityParams, n: number, lambda: number): void {
  lambdaCache.set(lambdaKey(params, n), lambda);
}

export interface SolveBatchOptions {
  fdma?: FdmaDelayParams;
  sumCapacity?: SumCapacityParams;
  /** sum-capacity dual variable; default lambda* for the batch's N. */
  lambda?: number;
  /** Interior-point method options (tolerance, iteration limit). */
  ipm?: FdmaDelayIpmOptions;
}

/**
 * How far above the exact optimum an IPM delay may be before the IPM's answer is refused.
 * Inside the gain domain the IPM lands within ~1e-9; a larger gap means it stalled.
 */
export const IPM_OBJECTIVE_TOLERANCE = 1e-6;

/**
 * The IPM's powers for one instance, checked against the exact optimum (O(N), negligible
 * next to the IPM's dense O(N^3) steps): a stalled IPM is refused, never returned.
 */
function solveIpmChecked(params: FdmaDelayParams, gains: number[], instance: number, opts: FdmaDelayIpmOptions | undefined) {
  const r = solveFdmaDelayIpm(params, gains, opts);
  const optimum = fdmaMeanDelay(params, gains, solveFdmaDelayExact(params, gains));
  const excess = fdmaMeanDelay(params, gains, r.power) / optimum - 1;
  if (!(excess <= IPM_OBJECTIVE_TOLERANCE)) {
    throw new SolverChoiceError(
      `solver: 'ipm' stopped ${excess.toExponential(1)} above the optimum for instance ${instance} after ${r.iterations} Newton steps; use 'exact', which solves every instance`,
    );
  }
  return r;
}

/** Objective and constraint violation of given powers (from any solver, e.g. a DNN). */
export function scoreBatch(
  problem: Problem,
  gains: number[][],
  power: number[][],
  opts: Pick<SolveBatchOptions, 'fdma' | 'sumCapacity'> = {},
): Pick<BatchSolution, 'objective' | 'constraintViolation'> {
  if (problem === 'fdma-delay') {
    const params = opts.fdma ?? FDMA_DELAY_DEFAULTS;
    return {
      objective: power.map((p, i) => fdmaMeanDelay(params, gains[i], p)),
      constraintViolation: power.map((p) => fdmaConstraintViolation(params, p)),
    };
  }
  const params = opts.sumCapacity ?? SUM_CAPACITY_DEFAULTS;
  return {
    objective: power.map((p, i) => sumCapacityBits(gains[i], p)),
    constraintViolation: power.map((p) => boxViolation(params.maxPowerW, p)),
  };
}

/** `gains` must already be validated (see gains-input.ts). */
export function solveBatch(problem: Problem, solver: ClassicalSolver, gains: number[][], opts: SolveBatchOptions = {}): BatchSolution {
  if (problem === 'fdma-delay') {
    const params = opts.fdma ?? FDMA_DELAY_DEFAULTS;
    const iterations: number[] = [];
    const power = gains.map((g, i) => {
      if (solver === 'exact') return Array.from(solveFdmaDelayExact(params, g));
      const r = solveIpmChecked(params, g, i, opts.ipm);
      iterations.push(r.iterations);
      return Array.from(r.power);
    });
    return { power, ...scoreBatch(problem, gains, power, opts), ...(solver === 'ipm' ? { iterations } : {}) };
  }
  if (solver !== 'exact') throw new SolverChoiceError(`solver: '${solver}' solves fdma-delay only; use 'exact' for sum-capacity`);
  const params = opts.sumCapacity ?? SUM_CAPACITY_DEFAULTS;
  const lambda = opts.lambda ?? optimalLambda(params, gains[0].length);
  const power = gains.map((g) => Array.from(solveSumCapacitySample(g, lambda, params.maxPowerW)));
  return { power, ...scoreBatch(problem, gains, power, { sumCapacity: params }), lambda };
}
