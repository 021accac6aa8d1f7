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
 * the matrix. This is the "IPM" of the benchmarks (scripts/bench-solvers.ts).
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

  const n = objective.n;
  const { rows, rhs } = constraints;
  const m = rows.length;
  if (x0.length !== n) throw new RangeError(`x0 must have length ${n}, got ${x0.length}`);
  if (rhs.length !== m) throw new RangeError(`constraints.rhs must have one entry per row (${m}), got ${rhs.length}`);
  if (m === 0) throw new RangeError('constraints.rows must not be empty');

  const x = Float64Array.from(x0);
  const lambda = new Float64Array(m);
  const f = new Float64Array(m); // f_i = g_i x - h_i < 0
  const grad = new Float64Array(n);
  const hess = new Float64Array(n * n);
  const dx = new Float64Array(n);
  const gdx = new Float64Array(m);
  const dlam = new Float64Array(m);
  const rdual = new Float64Array(n);
  const xNew = new Float64Array(n);
  const lamNew = new Float64Array(m);
  const fNew = new Float64Array(m);
  const gradNew = new Float64Array(n);
  const rdualNew = new Float64Array(n);

  for (let i = 0; i < m; i++) {
    f[i] = rowDot(rows[i], x) - rhs[i];
    if (!(f[i] < 0)) throw new RangeError(`x0 is not strictly feasible: constraint ${i} has g x - h = ${f[i]} (must be < 0)`);
  }
  let fx = objective.value(x);
  if (!Number.isFinite(fx)) throw new RangeError(`x0 is outside the objective's domain (f0(x0) = ${fx})`);
  // Initial multipliers: lambda_i = c / -f_i, so every centrality residual is equal and the
  // surrogate gap m c equals initialGap * |f0(x0)|.
  const c0 = (initialGap * Math.max(Math.abs(fx), 1e-300)) / m;
  for (let i = 0; i < m; i++) lambda[i] = c0 / -f[i];

  const dualResidual = (g: Float64Array, lam: Float64Array, out: Float64Array): void => {
    out.set(g);
    for (let i = 0; i < m; i++) {
      const row = rows[i];
      const li = lam[i];
      for (let k = 0; k < row.index.length; k++) out[row.index[k]] += row.value[k] * li;
    }
  };
  // ||r_t||^2 = ||r_dual||^2 + sum_i (-lambda_i f_i - 1/t)^2
  const residualNorm = (rd: Float64Array, lam: Float64Array, fv: Float64Array, invT: number): number => {
    let s = 0;
    for (let i = 0; i < n; i++) s += rd[i] * rd[i];
    for (let i = 0; i < m; i++) {
      const rc = -lam[i] * fv[i] - invT;
      s += rc * rc;
    }
    return Math.sqrt(s);
  };

  objective.gradient(x, grad);
  dualResidual(grad, lambda, rdual);
  let iterations = 0;
  let converged = false;
  let eta = 0;
  let relDual = Infinity;
  for (;;) {
    eta = 0;
    for (let i = 0; i < m; i++) eta -= f[i] * lambda[i];
    relDual = norm2(rdual) / Math.max(1, norm2(grad));
    if (eta <= tol * Math.abs(fx) && relDual <= feasTol) {
      converged = true;
      break;
    }
    if (iterations >= maxIter) break;
    iterations++;
    const t = (mu * m) / eta;
    const invT = 1 / t;

    // Reduced Newton system H dx = rhs, dense.
    objective.hessian(x, hess);
    for (let j = 0; j < n; j++) dx[j] = -grad[j];
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
      objective.hessian(x, hess);
      let maxDiag = 0;
      for (let i = 0; i < m; i++) {
        const row = rows[i];
        const w = lambda[i] / -f[i];
        for (let p = 0; p < row.index.length; p++)
          for (let q = 0; q < row.index.length; q++) hess[row.index[p] * n + row.index[q]] += w * row.value[p] * row.value[q];
      }
      for (let j = 0; j < n; j++) maxDiag = Math.max(maxDiag, Math.abs(hess[j * n + j]));
      for (let j = 0; j < n; j++) hess[j * n + j] += 1e-14 * maxDiag;
      if (!choleskyInPlace(hess, n)) break;
    }
    choleskySolve(hess, n, dx);

    // dlambda_i = -lambda_i - 1/(t f_i) - lambda_i (g_i dx) / f_i
    let smax = 1;
    for (let i = 0; i < m; i++) {
      gdx[i] = rowDot(rows[i], dx);
      dlam[i] = -lambda[i] - invT / f[i] - (lambda[i] * gdx[i]) / f[i];
      if (dlam[i] < 0) smax = Math.min(smax, -lambda[i] / dlam[i]);
    }
    const r0 = residualNorm(rdual, lambda, f, invT);
    let s = 0.99 * smax;
    let accepted = false;
    let fxNew = fx;
    for (let bt = 0; bt < MAX_BACKTRACKS; bt++, s *= BETA) {
      for (let j = 0; j < n; j++) xNew[j] = x[j] + s * dx[j];
      let feasible = true;
      for (let i = 0; i < m; i++) {
        fNew[i] = rowDot(rows[i], xNew) - rhs[i];
        if (!(fNew[i] < 0)) {
          feasible = false;
          break;
        }
      }
      if (!feasible) continue;
      fxNew = objective.value(xNew);
      if (!Number.isFinite(fxNew)) continue;
      for (let i = 0; i < m; i++) lamNew[i] = lambda[i] + s * dlam[i];
      objective.gradient(xNew, gradNew);
      dualResidual(gradNew, lamNew, rdualNew);
      if (residualNorm(rdualNew, lamNew, fNew, invT) <= (1 - ALPHA * s) * r0) {
        accepted = true;
        break;
      }
    }
    if (!accepted) break; // no progress possible (round-off floor); report the last iterate
    x.set(xNew);
    lambda.set(lamNew);
    f.set(fNew);
    grad.set(gradNew);
    rdual.set(rdualNew);
    fx = fxNew;
  }
  return {
    x,
    iterations,
    converged,
    relativeGap: eta / Math.abs(fx),
    relativeDualResidual: relDual,
    objective: fx,
  };
}
