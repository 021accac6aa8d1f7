/**
 * Sum rate of the K-user interference channel, the objective every interference solver,
 * dataset and model is measured with. Gains are K x K row-major per instance
 * (G[k * K + j]: from transmitter j to receiver k, linear); powers in W; rates in bits/s/Hz.
 */

/** Noise and power limit the objective and the solvers need (a subset of InterferenceParams). */
export interface InterferenceLimits {
  maxPowerW: number;
  noisePowerW: number;
}

/**
 * sum_k log2(1 + G_kk p_k / (sigma^2 + sum_{j != k} G_kj p_j)) of instance `s` of a batch.
 * The interference-plus-noise is summed directly (not as total - signal), so a strong
 * signal never cancels it to zero.
 */
export function sumRateOf(gains: ArrayLike<number>, k: number, power: ArrayLike<number>, noisePowerW: number, s = 0): number {
  let rate = 0;
  const g0 = s * k * k;
  const p0 = s * k;
  for (let r = 0; r < k; r++) {
    let interference = noisePowerW;
    for (let t = 0; t < k; t++) if (t !== r) interference += gains[g0 + r * k + t] * power[p0 + t];
    rate += Math.log1p((gains[g0 + r * k + r] * power[p0 + r]) / interference);
  }
  return rate / Math.LN2;
}

/** Sum rate of every instance of a batch [count], bits/s/Hz. */
export function sumRates(gains: ArrayLike<number>, count: number, k: number, power: ArrayLike<number>, noisePowerW: number): Float64Array {
  const out = new Float64Array(count);
  for (let s = 0; s < count; s++) out[s] = sumRateOf(gains, k, power, noisePowerW, s);
  return out;
}
