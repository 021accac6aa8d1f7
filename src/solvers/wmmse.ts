/**
 * WMMSE power control for the K-user SISO interference channel (Shi, Razaviyayn, Luo, He,
 * "An iteratively weighted MMSE approach to distributed sum-utility maximization for a MIMO
 * interfering broadcast channel", IEEE TSP 2011; the scalar form used by Sun et al., TSP
 * 2018). A block-coordinate ascent on an equivalent weighted-MSE problem: it converges to
 * a stationary point of the sum rate, not necessarily the global optimum (the problem is
 * NP-hard), so the answer depends on the starting powers; wmmseBestOf tries several.
 *
 * With amplitudes a_kj = sqrt(G_kj) and v_k = sqrt(p_k), one iteration is
 *   u_k = a_kk v_k / (sum_j G_kj v_j^2 + sigma^2)             (MMSE receiver)
 *   w_k = 1 / (1 - u_k a_kk v_k) = 1 + SINR_k                   (MSE weight)
 *   v_k = clip(w_k u_k a_kk / sum_j w_j u_j^2 G_jk, 0, sqrt(Pmax))
 * and sum_k log2 w_k is the sum rate at the current powers. Vectorised over a batch: flat
 * typed arrays, each instance stopping on its own.
 */
import type { Uniform } from '../random.js';
import { sumRateOf, type InterferenceLimits } from './interference-objective.js';

export interface WmmseOptions {
  /** Iteration cap (default 100). */
  maxIterations: number;
  /** Stop once an iteration improves the sum rate by at most this many bits/s/Hz (default 1e-3). */
  tolerance: number;
}

export const WMMSE_DEFAULTS: Readonly<WmmseOptions> = Object.freeze({ maxIterations: 100, tolerance: 1e-3 });

export interface InterferenceSolution {
  /** Powers [count * K], W, every one in [0, Pmax]. */
  power: Float64Array;
  /** Sum rate per instance [count], bits/s/Hz. */
  sumRate: Float64Array;
}

export interface WmmseSolution extends InterferenceSolution {
  /** Iterations each instance ran [count]. */
  iterations: Uint16Array;
}

/** u and w of one instance at amplitudes v; returns the sum rate sum log2 w_k. */
function receiverAndWeights(g: ArrayLike<number>, g0: number, k: number, v: Float64Array, v0: number, noise: number, u: Float64Array, w: Float64Array): number {
  let rate = 0;
  for (let r = 0; r < k; r++) {
    let interference = noise;
    for (let t = 0; t < k; t++) if (t !== r) interference += g[g0 + r * k + t] * v[v0 + t] * v[v0 + t];
    const signal = g[g0 + r * k + r] * v[v0 + r] * v[v0 + r];
    u[v0 + r] = (Math.sqrt(g[g0 + r * k + r]) * v[v0 + r]) / (interference + signal);
    w[v0 + r] = (interference + signal) / interference;
    rate += Math.log2(w[v0 + r]);
  }
  return rate;
}

/** The transmit amplitude update of one instance (Jacobi: every v_k from the same u, w). */
function updateAmplitudes(g: ArrayLike<number>, g0: number, k: number, v: Float64Array, v0: number, u: Float64Array, w: Float64Array, vMax: number): void {
  for (let t = 0; t < k; t++) {
    let denominator = 0;
    for (let r = 0; r < k; r++) denominator += w[v0 + r] * u[v0 + r] * u[v0 + r] * g[g0 + r * k + t];
    // 0 only when no receiver hears anyone (all u = 0): nothing to learn, keep v_k.
    if (denominator > 0) v[v0 + t] = Math.min(Math.max((w[v0 + t] * u[v0 + t] * Math.sqrt(g[g0 + t * k + t])) / denominator, 0), vMax);
  }
}

/** WMMSE from `initialPower` [count * K] (each in [0, Pmax]) for every instance of a batch of K x K gains. */
export function wmmse(
  gains: ArrayLike<number>,
  count: number,
  k: number,
  limits: InterferenceLimits,
  initialPower: ArrayLike<number>,
  options: WmmseOptions = WMMSE_DEFAULTS,
): WmmseSolution {
  const v = Float64Array.from(initialPower, Math.sqrt);
  const u = new Float64Array(count * k);
  const w = new Float64Array(count * k);
  const iterations = new Uint16Array(count);
  const vMax = Math.sqrt(limits.maxPowerW);
  for (let s = 0; s < count; s++) {
    const g0 = s * k * k;
    const v0 = s * k;
    let rate = receiverAndWeights(gains, g0, k, v, v0, limits.noisePowerW, u, w);
    for (let it = 1; it <= options.maxIterations; it++) {
      updateAmplitudes(gains, g0, k, v, v0, u, w, vMax);
      const next = receiverAndWeights(gains, g0, k, v, v0, limits.noisePowerW, u, w);
      iterations[s] = it;
      const improvement = next - rate;
      rate = next;
      if (improvement <= options.tolerance) break;
    }
  }
  const power = v.map((x) => Math.min(x * x, limits.maxPowerW));
  const sumRate = new Float64Array(count);
  for (let s = 0; s < count; s++) sumRate[s] = sumRateOf(gains, k, power, limits.noisePowerW, s);
  return { power, sumRate, iterations };
}

/** Full power Pmax for every transmitter: WMMSE's usual start and the simplest baseline. */
export function fullPower(count: number, k: number, limits: InterferenceLimits): Float64Array {
  return new Float64Array(count * k).fill(limits.maxPowerW);
}

/** Independent uniform powers in [0, Pmax]: random starts, and the random-power baseline. */
export function randomPower(uniform: Uniform, count: number, k: number, limits: InterferenceLimits): Float64Array {
  const out = new Float64Array(count * k);
  for (let i = 0; i < out.length; i++) out[i] = uniform() * limits.maxPowerW;
  return out;
}

/** Best (per instance) of `starts` WMMSE runs from independent uniform random powers. */
export function wmmseBestOf(
  gains: ArrayLike<number>,
  count: number,
  k: number,
  limits: InterferenceLimits,
  starts: number,
  uniform: Uniform,
  options: WmmseOptions = WMMSE_DEFAULTS,
): InterferenceSolution {
  const best: InterferenceSolution = { power: new Float64Array(count * k), sumRate: new Float64Array(count).fill(-Infinity) };
  for (let start = 0; start < starts; start++) {
    const run = wmmse(gains, count, k, limits, randomPower(uniform, count, k, limits), options);
    for (let s = 0; s < count; s++) {
      if (run.sumRate[s] <= best.sumRate[s]) continue;
      best.sumRate[s] = run.sumRate[s];
      best.power.set(run.power.subarray(s * k, (s + 1) * k), s * k);
    }
  }
  return best;
}
