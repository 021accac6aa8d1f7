/**
 * Exact solver for P3 (FDMA delay minimisation):
 *   minimise (1/N) sum_n L / (W log2(1 + a_n P_n))  s.t.  sum_n P_n <= Ptot, 0 <= P_n <= Ptot.
 *
 * The objective decreases in every P_n, so the sum constraint is tight and every
 * P_n > 0. With u_n = ln(1 + a_n P_n), stationarity of the Lagrangian reads
 * u_n^2 e^{u_n} = c a_n / nu, i.e. u_n e^{u_n/2} = s sqrt(a_n) for one scalar s, so
 *   u_n = 2 W0(s sqrt(a_n) / 2),   P_n = expm1(u_n) / a_n.
 * F(t) = sum_n P_n(e^t) - Ptot is increasing and convex in t = ln s, so Newton in t
 * converges monotonically after at most one overshoot; a bracket guards round-off.
 */
import { lambertW0 } from './lambert-w.js';
import type { FdmaDelayParams } from './params.js';

// Reused between calls: the solver is called millions of times when labelling datasets.
let scratchSqrtA = new Float64Array(32);
let scratchU = new Float64Array(32);

export interface ExactSolveStats {
  /** Newton iterations used. */
  iterations: number;
}

/**
 * Optimal powers (W) for one instance. `gains` are SNR per watt a_n > 0 (1/W).
 * Writes into `out` when given (length N) and returns it.
 */
export function solveFdmaDelayExact(
  p: Pick<FdmaDelayParams, 'totalPowerW'>,
  gains: ArrayLike<number>,
  out: Float64Array = new Float64Array(gains.length),
  stats?: ExactSolveStats,
): Float64Array {
  const n = gains.length;
  const ptot = p.totalPowerW;
  if (n === 1) {
    out[0] = ptot;
    if (stats) stats.iterations = 0;
    return out;
  }
  // Start from equal power: each band's s_n = u e^{u/2} / sqrt(a); take their log-mean.
  if (scratchSqrtA.length < n) {
    scratchSqrtA = new Float64Array(n);
    scratchU = new Float64Array(n);
  }
  const sqrtA = scratchSqrtA;
  const u = scratchU;
  let t = 0;
  const equal = ptot / n;
  for (let i = 0; i < n; i++) {
    sqrtA[i] = Math.sqrt(gains[i]);
    u[i] = Math.log1p(gains[i] * equal);
    t += Math.log(u[i]) + u[i] / 2 - Math.log(sqrtA[i]);
  }
  t /= n;
  let lo = -Infinity;
  let hi = Infinity;
  let iterations = 0;
  for (; iterations < 100; iterations++) {
    const s = Math.exp(t);
    let f = -ptot;
    let df = 0;
    for (let i = 0; i < n; i++) {
      const ui = 2 * lambertW0((s * sqrtA[i]) / 2, u[i] / 2);
      u[i] = ui;
      const pi = Math.expm1(ui) / gains[i];
      out[i] = pi;
      f += pi;
      df += ((pi + 1 / gains[i]) * 2 * ui) / (2 + ui);
    }
    if (f > 0) hi = t;
    else lo = t;
    if (Math.abs(f) <= 1e-15 * ptot) break;
    let next = t - f / df;
    if (!(next > lo && next < hi)) next = Number.isFinite(lo) && Number.isFinite(hi) ? (lo + hi) / 2 : next;
    if (Math.abs(next - t) <= 1e-16 * Math.max(1, Math.abs(t))) break;
    t = next;
  }
  // Remove the last round-off so that sum P = Ptot exactly (to one ulp).
  let total = 0;
  for (let i = 0; i < n; i++) total += out[i];
  const scale = ptot / total;
  for (let i = 0; i < n; i++) out[i] *= scale;
  if (stats) stats.iterations = iterations;
  return out;
}
