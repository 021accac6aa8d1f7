/**
 * Generic primal-dual interior-point method (Boyd & Vandenberghe, Convex
 * Optimization, 2004, Section 11.7, Algorithm 11.2); ipm.ts uses it as the baseline
 * solver for P3 (FDMA delay minimisation).
 *
 *   minimise f0(x)  subject to  G x <= h
 *
 * with f0 smooth and convex (value, gradient and dense Hessian supplied by the caller)
 * and linear inequality constraints given as sparse rows. Every iteration forms the
 * reduced Newton system of the primal-dual residual
 *   (Hess f0 + sum_i (lambda_i / -f_i) g_i g_i^T) dx = -grad f0 - (1/t) sum_i g_i / -f_i,
 * (f_i = g_i x - h_i < 0) as a DENSE n x n matrix and solves it by a dense Cholesky
 * factorisation; nothing about P3's structure is used in the linear algebra.
 * Step: the largest step keeping lambda > 0 (times 0.99), then backtracking until x
 * is strictly feasible, f0 is finite and the residual norm decreases by (1 - alpha s).
 * Stopping rule (relative): surrogate duality gap eta = -f^T lambda <= tol * |f0(x)|
 * and dual residual ||grad f0 + G^T lambda|| <= feasTol * max(1, ||grad f0||).
 *
 * Cost: O(n^3 / 6) per iteration for the factorisation plus O(sum_i nnz_i^2) to form
 * the matrix. This is the "IPM" of the benchmarks (scripts/bench/bench-solvers.ts).
 */
import { choleskyInPlace, choleskySolve, norm2 } from './ipm-linalg.js';

/** A smooth convex objective in n variables. */
export interface SmoothConvexObjective {
  /** Number of variables. */
  n: number;
  /** f0(x); +Infinity (or NaN) outside the domain. */
  value(x: Float64Array): number;
  /** Writes grad f0(x) into `out` (length n). */
  gradient(x: Float64Array, out: Float64Array): void;
  /** Writes the Hessian of f0 at x into `out` (n x n, row-major, every entry). */
  hessian(x: Float64Array, out: Float64Array): void;
}

/** One row g_i of G as (column index, coefficient) pairs. */
export interface SparseRow {
  index: Int32Array;
  value: Float64Array;
}

/** G x <= h. */
export interface LinearInequalities {
  rows: SparseRow[];
  rhs: Float64Array;
}

export interface IpmOptions {
  /** Relative surrogate-duality-gap tolerance (gap <= tol * |f0|). Default 1e-12. */
  tol?: number;
  /** Dual-residual tolerance relative to max(1, ||grad f0||). Default 1e-9. */
  feasTol?: number;
  /** Iteration limit. Default 300. */
  maxIter?: number;
  /** Barrier growth factor mu. Default 20 (B&V, Section 11.3: values of about 10 to 20 work well). */
  mu?: number;
  /**
   * Initial surrogate duality gap relative to |f0(x0)| (sets lambda0_i = gap / (m -f_i(x0))).
   * Default 0.01: with 1 the merit line search crawls on badly scaled instances (gains
   * 1e-8 and 1e6 together took 97 iterations instead of 25).
   */
  initialGap?: number;
}

export interface IpmResult {
  /** Last iterate (strictly feasible). */
  x: Float64Array;
  /** Newton iterations taken. */
  iterations: number;
  /** True when the stopping rule was met. */
  converged: boolean;
  /** Surrogate duality gap divided by |f0(x)| at the last iterate. */
  relativeGap: number;
  /** ||grad f0 + G^T lambda||_2 / max(1, ||grad f0||_2) at the last iterate. */
  relativeDualResidual: number;
  /** f0(x) at the last iterate. */
  objective: number;
}

const ALPHA = 0.01;
const BETA = 0.5;
const MAX_BACKTRACKS = 80;

function checkOption(name: string, value: number | undefined, fallback: number, rule: (v: number) => boolean, ruleText: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !rule(value)) throw new RangeError(`options.${name} must be ${ruleText}, got ${String(value)}`);
  return value;
}

function rowDot(row: SparseRow, x: Float64Array): number {
  let s = 0;
  for (let k = 0; k < row.index.length; k++) s += row.value[k] * x[row.index[k]];
  return s;
}

/** The iterate, its derived quantities and scratch space of one primal-dual IPM run. */
interface IpmState {
  objective: SmoothConvexObjective;
  rows: SparseRow[];
  rhs: ArrayLike<number>;
  n: number;
  m: number;
  x: Float64Array;
  lambda: Float64Array;
  /** f_i = g_i x - h_i < 0 */
  f: Float64Array;
  grad: Float64Array;
  rdual: Float64Array;
  fx: number;
  hess: Float64Array;
  dx: Float64Array;
  dlam: Float64Array;
  xNew: Float64Array;
  lamNew: Float64Array;
  fNew: Float64Array;
  gradNew: Float64Array;
  rdualNew: Float64Array;
}

function dualResidual(st: IpmState, g: Float64Array, lam: Float64Array, out: Float64Array): void {
  out.set(g);
  for (let i = 0; i < st.m; i++) {
    const row = st.rows[i];
    const li = lam[i];
    for (let k = 0; k < row.index.length; k++) out[row.index[k]] += row.value[k] * li;
  }
}

/** ||r_t||^2 = ||r_dual||^2 + sum_i (-lambda_i f_i - 1/t)^2 */
function residualNorm(st: IpmState, rd: Float64Array, lam: Float64Array, fv: Float64Array, invT: number): number {
  let s = 0;
  for (let i = 0; i < st.n; i++) s += rd[i] * rd[i];
  for (let i = 0; i < st.m; i++) {
    const rc = -lam[i] * fv[i] - invT;
    s += rc * rc;
  }
  return Math.sqrt(s);
}

/** The starting state at x0 (checked strictly feasible, inside the objective's domain), multipliers centred. */
function initialState(objective: SmoothConvexObjective, constraints: LinearInequalities, x0: ArrayLike<number>, initialGap: number): IpmState {
  const n = objective.n;
  const { rows, rhs } = constraints;
  const m = rows.length;
  if (x0.length !== n) throw new RangeError(`x0 must have length ${n}, got ${x0.length}`);
  if (rhs.length !== m) throw new RangeError(`constraints.rhs must have one entry per row (${m}), got ${rhs.length}`);
  if (m === 0) throw new RangeError('constraints.rows must not be empty');
  const vec = (len: number) => new Float64Array(len);
  const st: IpmState = {
    objective, rows, rhs, n, m, x: Float64Array.from(x0), lambda: vec(m), f: vec(m), grad: vec(n), rdual: vec(n), fx: 0,
    hess: vec(n * n), dx: vec(n), dlam: vec(m), xNew: vec(n), lamNew: vec(m), fNew: vec(m), gradNew: vec(n), rdualNew: vec(n),
  };
  for (let i = 0; i < m; i++) {
    st.f[i] = rowDot(rows[i], st.x) - rhs[i];
    if (!(st.f[i] < 0)) throw new RangeError(`x0 is not strictly feasible: constraint ${i} has g x - h = ${st.f[i]} (must be < 0)`);
  }
  st.fx = objective.value(st.x);
  if (!Number.isFinite(st.fx)) throw new RangeError(`x0 is outside the objective's domain (f0(x0) = ${st.fx})`);
  // Initial multipliers: lambda_i = c / -f_i, so every centrality residual is equal and the
  // surrogate gap m c equals initialGap * |f0(x0)|.
  const c0 = (initialGap * Math.max(Math.abs(st.fx), 1e-300)) / m;
  for (let i = 0; i < m; i++) st.lambda[i] = c0 / -st.f[i];
  objective.gradient(st.x, st.grad);
  dualResidual(st, st.grad, st.lambda, st.rdual);
  return st;
}

/** The Newton step dx of the reduced system H dx = rhs (dense Cholesky); false when H cannot be factored. */
function newtonStep(st: IpmState, invT: number): boolean {
  const { n, m, rows, lambda, f, hess, dx } = st;
  st.objective.hessian(st.x, hess);
  for (let j = 0; j < n; j++) dx[j] = -st.grad[j];
  for (let i = 0; i < m; i++) {
    const row = rows[i];
    const w = lambda[i] / -f[i];
    const b = invT / -f[i];
    const idx = row.index;
    const val = row.value;
    for (let p = 0; p < idx.length; p++) {
      const rp = idx[p] * n;
      const vp = val[p];
      dx[idx[p]] -= b * vp;
      const wvp = w * vp;
      for (let q = 0; q < idx.length; q++) hess[rp + idx[q]] += wvp * val[q];
    }
  }
  if (!choleskyInPlace(hess, n)) {
    // Round-off made the (positive definite) matrix indefinite: retry with a small ridge.
    st.objective.hessian(st.x, hess);
    let maxDiag = 0;
    for (let i = 0; i < m; i++) {
      const row = rows[i];
      const w = lambda[i] / -f[i];
      for (let p = 0; p < row.index.length; p++)
        for (let q = 0; q < row.index.length; q++) hess[row.index[p] * n + row.index[q]] += w * row.value[p] * row.value[q];
    }
    for (let j = 0; j < n; j++) maxDiag = Math.max(maxDiag, Math.abs(hess[j * n + j]));
    for (let j = 0; j < n; j++) hess[j * n + j] += 1e-14 * maxDiag;
    if (!choleskyInPlace(hess, n)) return false;
  }
  choleskySolve(hess, n, dx);
  return true;
}

/** dlambda_i = -lambda_i - 1/(t f_i) - lambda_i (g_i dx) / f_i; returns the largest step keeping lambda >= 0 (at most 1). */
function multiplierStep(st: IpmState, invT: number): number {
  let smax = 1;
  for (let i = 0; i < st.m; i++) {
    const gdx = rowDot(st.rows[i], st.dx);
    st.dlam[i] = -st.lambda[i] - invT / st.f[i] - (st.lambda[i] * gdx) / st.f[i];
    if (st.dlam[i] < 0) smax = Math.min(smax, -st.lambda[i] / st.dlam[i]);
  }
  return smax;
}

/** Backtracking on the residual norm from 0.99 smax; on success the new iterate is in the *New arrays and returned f0. */
function lineSearch(st: IpmState, smax: number, invT: number): number | undefined {
  const { n, m, rows, rhs, xNew, fNew, lamNew } = st;
  const r0 = residualNorm(st, st.rdual, st.lambda, st.f, invT);
  let s = 0.99 * smax;
  for (let bt = 0; bt < MAX_BACKTRACKS; bt++, s *= BETA) {
    for (let j = 0; j < n; j++) xNew[j] = st.x[j] + s * st.dx[j];
    let feasible = true;
    for (let i = 0; i < m; i++) {
      fNew[i] = rowDot(rows[i], xNew) - rhs[i];
      if (!(fNew[i] < 0)) {
        feasible = false;
        break;
      }
    }
    if (!feasible) continue;
    const fxNew = st.objective.value(xNew);
    if (!Number.isFinite(fxNew)) continue;
    for (let i = 0; i < m; i++) lamNew[i] = st.lambda[i] + s * st.dlam[i];
    st.objective.gradient(xNew, st.gradNew);
    dualResidual(st, st.gradNew, lamNew, st.rdualNew);
    if (residualNorm(st, st.rdualNew, lamNew, fNew, invT) <= (1 - ALPHA * s) * r0) return fxNew;
  }
  return undefined;
}

/**
 * Primal-dual interior-point method from a strictly feasible x0 (G x0 < h, f0(x0) finite).
 */
export function primalDualIpm(
  objective: SmoothConvexObjective,
  constraints: LinearInequalities,
  x0: ArrayLike<number>,
  options: IpmOptions = {},
): IpmResult {
  const tol = checkOption('tol', options.tol, 1e-12, (v) => v > 0 && v < 1, 'a number in (0, 1)');
  const feasTol = checkOption('feasTol', options.feasTol, 1e-9, (v) => v > 0 && v < 1, 'a number in (0, 1)');
  const initialGap = checkOption('initialGap', options.initialGap, 0.01, (v) => v > 0 && Number.isFinite(v), 'a finite number > 0');
  const maxIter = checkOption('maxIter', options.maxIter, 300, (v) => Number.isInteger(v) && v >= 1, 'an integer >= 1');
  const mu = checkOption('mu', options.mu, 20, (v) => v > 1 && Number.isFinite(v), 'a finite number > 1');

  const st = initialState(objective, constraints, x0, initialGap);
  const m = st.m;
  let iterations = 0;
  let converged = false;
  let eta = 0;
  let relDual = Infinity;
  for (;;) {
    eta = 0;
    for (let i = 0; i < m; i++) eta -= st.f[i] * st.lambda[i];
    relDual = norm2(st.rdual) / Math.max(1, norm2(st.grad));
    if (eta <= tol * Math.abs(st.fx) && relDual <= feasTol) {
      converged = true;
      break;
    }
    if (iterations >= maxIter) break;
    iterations++;
    const t = (mu * m) / eta;
    const invT = 1 / t;
    if (!newtonStep(st, invT)) break;
    const fxNew = lineSearch(st, multiplierStep(st, invT), invT);
    if (fxNew === undefined) break; // no progress possible (round-off floor); report the last iterate
    st.x.set(st.xNew);
    st.lambda.set(st.lamNew);
    st.f.set(st.fNew);
    st.grad.set(st.gradNew);
    st.rdual.set(st.rdualNew);
    st.fx = fxNew;
  }
  return { x: st.x, iterations, converged, relativeGap: eta / Math.abs(st.fx), relativeDualResidual: relDual, objective: st.fx };
}
