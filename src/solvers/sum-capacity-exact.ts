/**
 * Exact solver for P4 (average sum-capacity maximisation):
 *   maximise E[log2(1 + sum_n g_n P_n)]  s.t.  E[sum_n P_n] <= budget, 0 <= P_n <= Pmax.
 *
 * For a dual variable lambda (bits per W) the Lagrangian separates per sample:
 * maximise log2(1 + sum g P) - lambda sum P over the box. For a given received SNR the
 * cheapest powers fill the strongest gains first (fractional knapsack), and the SNR
 * grows while the marginal gain g_k / ((1 + snr) ln 2) exceeds lambda, so with
 * gains sorted descending and c = 1 / (lambda ln 2):
 *   P_(k) = clip(c - (1 + Pmax sum_{j<k} g_(j)) / g_(k), 0, Pmax).
 * lambda* makes the Monte Carlo mean of sum P equal the budget (the mean power is
 * continuous and non-increasing in lambda; solved by bracketed regula falsi).
 */

/**
 * Per-sample optimum for a given lambda (bits/s/Hz per W). Writes powers (W) into
 * `out` and returns it. `order` is scratch for the descending sort (optional).
 */
export function solveSumCapacitySample(
  gains: ArrayLike<number>,
  lambda: number,
  maxPowerW: number,
  out: Float64Array = new Float64Array(gains.length),
): Float64Array {
  const n = gains.length;
  out.fill(0, 0, n);
  if (lambda <= 0) {
    out.fill(maxPowerW, 0, n);
    return out;
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => gains[b] - gains[a]);
  const c = 1 / (lambda * Math.LN2);
  let snr = 0;
  for (const k of order) {
    const g = gains[k];
    if (!(g > 0)) break;
    const p = c - (1 + snr) / g;
    if (p <= 0) break;
    if (p >= maxPowerW) {
      out[k] = maxPowerW;
      snr += maxPowerW * g;
    } else {
      out[k] = p;
      break;
    }
  }
  return out;
}

/** Gains of many samples, each sorted descending, for fast repeated evaluation. */
export interface SortedSamples {
  n: number;
  count: number;
  /** count x n, row-major, each row descending. */
  sorted: Float64Array;
}

export function sortSamplesDescending(gains: Float64Array, n: number): SortedSamples {
  const count = gains.length / n;
  const sorted = new Float64Array(gains.length);
  for (let s = 0; s < count; s++) {
    const row = sorted.subarray(s * n, (s + 1) * n);
    row.set(gains.subarray(s * n, (s + 1) * n));
    row.sort();
    row.reverse();
  }
  return { n, count, sorted };
}

/** Mean over samples of sum P and of log2(1 + snr) (with its std. error) at c = 1/(lambda ln 2). */
export function evaluateAtLevel(
  samples: SortedSamples,
  c: number,
  maxPowerW: number,
  withCapacity = false,
): { meanPower: number; capacityBits: number; stdErrBits: number } {
  const { n, count, sorted } = samples;
  let powerSum = 0;
  let capSum = 0;
  let capSq = 0;
  for (let s = 0; s < count; s++) {
    const base = s * n;
    let snr = 0;
    let power = 0;
    for (let k = 0; k < n; k++) {
      const g = sorted[base + k];
      const p = c - (1 + snr) / g;
      if (p <= 0) break;
      if (p >= maxPowerW) {
        power += maxPowerW;
        snr += maxPowerW * g;
      } else {
        power += p;
        snr += p * g;
        break;
      }
    }
    powerSum += power;
    if (withCapacity) {
      const cap = Math.log2(1 + snr);
      capSum += cap;
      capSq += cap * cap;
    }
  }
  const capacityBits = capSum / count;
  const variance = Math.max(0, capSq / count - capacityBits * capacityBits);
  return { meanPower: powerSum / count, capacityBits, stdErrBits: Math.sqrt(variance / count) };
}

export interface SumCapacityOptimum {
  /** Optimal dual variable, bits/s/Hz per W (0 when the budget is not binding). */
  lambda: number;
  /** Optimal average capacity over the samples, bits/s/Hz. */
  capacityBits: number;
  /** Standard error of that mean, bits/s/Hz. */
  stdErrBits: number;
  /** Mean sum power at the optimum, W (equals the budget when binding). */
  meanPower: number;
}

/**
 * lambda* and the optimal average capacity over the given samples (gains of `n`
 * users per sample, row-major) for an average sum-power budget (W).
 */
export function solveSumCapacityOptimum(
  gains: Float64Array,
  n: number,
  budgetW: number,
  maxPowerW: number,
): SumCapacityOptimum {
  const samples = sortSamplesDescending(gains, n);
  const atLevel = (c: number) => evaluateAtLevel(samples, c, maxPowerW).meanPower - budgetW;
  if (budgetW >= n * maxPowerW) {
    const r = evaluateAtLevel(samples, Infinity, maxPowerW, true);
    return { lambda: 0, capacityBits: r.capacityBits, stdErrBits: r.stdErrBits, meanPower: r.meanPower };
  }
  // Bracket the water level c: at c = 0 nothing is sent; double until the budget is exceeded.
  let lo = 0;
  let flo = -budgetW;
  let hi = 1;
  let fhi = atLevel(hi);
  while (fhi < 0) {
    lo = hi;
    flo = fhi;
    hi *= 2;
    fhi = atLevel(hi);
  }
  // Illinois regula falsi: superlinear and never leaves the bracket.
  let side = 0;
  let c = hi;
  for (let i = 0; i < 200 && hi - lo > 1e-15 * hi; i++) {
    c = (lo * fhi - hi * flo) / (fhi - flo);
    if (!(c > lo && c < hi)) c = (lo + hi) / 2;
    const fc = atLevel(c);
    if (fc === 0) {
      lo = hi = c;
      break;
    }
    if (fc > 0) {
      hi = c;
      fhi = fc;
      if (side === 1) flo /= 2;
      side = 1;
    } else {
      lo = c;
      flo = fc;
      if (side === -1) fhi /= 2;
      side = -1;
    }
  }
  c = (lo + hi) / 2;
  const r = evaluateAtLevel(samples, c, maxPowerW, true);
  return { lambda: 1 / (c * Math.LN2), capacityBits: r.capacityBits, stdErrBits: r.stdErrBits, meanPower: r.meanPower };
}
