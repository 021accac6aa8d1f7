/**
 * The interior-point baseline solver for P3 (FDMA delay minimisation): P3 written as
 * the generic primal-dual method of ipm-primal-dual.ts (dense Newton systems, nothing
 * of P3's structure used), the "IPM" of the benchmarks (scripts/bench/bench-solvers.ts).
 */
import { primalDualIpm, type SmoothConvexObjective, type SparseRow } from './ipm-primal-dual.js';
import type { FdmaDelayParams } from './params.js';

export interface FdmaDelayIpmOptions {
  /** Relative surrogate-duality-gap tolerance. Default 1e-12. */
  tol?: number;
  /** Iteration limit. Default 300. */
  maxIter?: number;
}

export interface FdmaDelayIpmResult {
  /** Powers, W (strictly inside the feasible set). */
  power: Float64Array;
  /** Newton iterations. */
  iterations: number;
  /** True when the relative stopping rule was met. */
  converged: boolean;
  /** Surrogate duality gap relative to the objective at the returned point. */
  relativeGap: number;
}

/** Checks P3 input; throws a RangeError naming the field and the rule. */
export function validateFdmaDelayInput(params: Pick<FdmaDelayParams, 'totalPowerW'>, gains: ArrayLike<number>): void {
  if (!(Number.isFinite(params.totalPowerW) && params.totalPowerW > 0))
    throw new RangeError(`totalPowerW must be a finite number > 0, got ${params.totalPowerW}`);
  if (!gains || typeof gains.length !== 'number' || gains.length < 1) throw new RangeError('gains must contain at least one value');
  for (let i = 0; i < gains.length; i++) {
    const g = gains[i];
    if (typeof g !== 'number' || !Number.isFinite(g) || !(g > 0))
      throw new RangeError(`gains[${i}] must be a finite number > 0 (SNR per watt, 1/W), got ${String(g)}`);
  }
}

/**
 * P3 by the primal-dual IPM: minimise (1/N) sum_n L / (W log2(1 + a_n P_n)) subject to
 * sum_n P_n <= Ptot, -P_n <= 0, P_n - Ptot <= 0 (2N + 1 linear inequalities).
 * `gains` are SNR per watt a_n > 0 (1/W); powers are returned in W.
 * Internally the variables are x = P / Ptot and the objective is divided by its
 * value at the start point (equal powers Ptot / (N + 1)); the positive factor
 * L ln 2 / W is dropped. Neither changes the minimiser.
 */
export function solveFdmaDelayIpm(
  params: Pick<FdmaDelayParams, 'totalPowerW'>,
  gains: ArrayLike<number>,
  options: FdmaDelayIpmOptions = {},
): FdmaDelayIpmResult {
  validateFdmaDelayInput(params, gains);
  const n = gains.length;
  const ptot = params.totalPowerW;
  const b = new Float64Array(n); // SNR at full power, a_n Ptot
  for (let i = 0; i < n; i++) b[i] = gains[i] * ptot;

  const raw = (x: Float64Array): number => {
    let s = 0;
    for (let i = 0; i < n; i++) {
      if (!(x[i] > 0)) return Infinity;
      const u = Math.log1p(b[i] * x[i]);
      s += 1 / u;
    }
    return s / n;
  };
  const x0 = new Float64Array(n).fill(1 / (n + 1));
  const scale = 1 / (n * raw(x0)); // includes the 1/N of the mean
  const objective: SmoothConvexObjective = {
    n,
    value: (x) => raw(x) * n * scale,
    gradient: (x, out) => {
      for (let i = 0; i < n; i++) {
        const bx = b[i] * x[i];
        const u = Math.log1p(bx);
        // (scale / u) first: u * u underflows for the deepest fades.
        out[i] = -(scale / u) * (b[i] / ((1 + bx) * u));
      }
    },
    hessian: (x, out) => {
      out.fill(0);
      for (let i = 0; i < n; i++) {
        const bx = b[i] * x[i];
        const u = Math.log1p(bx);
        const q = b[i] / ((1 + bx) * u);
        out[i * n + i] = (scale / u) * q * q * (u + 2);
      }
    },
  };
  // Rows: sum x <= 1; -x_i <= 0; x_i <= 1.
  const rows: SparseRow[] = [];
  const rhs = new Float64Array(2 * n + 1);
  const all = new Int32Array(n);
  for (let i = 0; i < n; i++) all[i] = i;
  rows.push({ index: all, value: new Float64Array(n).fill(1) });
  rhs[0] = 1;
  for (let i = 0; i < n; i++) {
    rows.push({ index: Int32Array.of(i), value: Float64Array.of(-1) });
    rhs[1 + i] = 0;
  }
  for (let i = 0; i < n; i++) {
    rows.push({ index: Int32Array.of(i), value: Float64Array.of(1) });
    rhs[1 + n + i] = 1;
  }
  const r = primalDualIpm(objective, { rows, rhs }, x0, { tol: options.tol, maxIter: options.maxIter });
  const power = new Float64Array(n);
  for (let i = 0; i < n; i++) power[i] = r.x[i] * ptot;
  return { power, iterations: r.iterations, converged: r.converged, relativeGap: r.relativeGap };
}
