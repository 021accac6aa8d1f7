/**
 * Seeded channels of the K-user interference channel: `count` K x K gain matrices,
 * row-major per instance (G[k * K + j] = gain from transmitter j to receiver k, SNR per
 * watt relative to the noise power). The same uniform stream always gives the same numbers.
 */
import type { Uniform } from '../random.js';
import { rayleighGains } from './rayleigh.js';
import type { GeometricChannelParams, InterferenceChannel, InterferenceParams } from '../solvers/params.js';

/** Gaussian IC (Sun et al., TSP 2018): h_kj ~ CN(0, 1), so every G_kj = |h_kj|^2 ~ Exp(1). */
export function gaussianInterferenceGains(uniform: Uniform, count: number, k: number): Float64Array {
  return rayleighGains(uniform, count, k * k);
}

/**
 * Geometric channel (params.ts, GeometricChannelParams): pairs dropped in a square of side
 * areaSidePerSqrtPairM sqrt(K), path loss (d / d_ref)^-alpha times Rayleigh fading.
 * Gains are linear power gains (G p / sigma^2 is an SNR), like the Gaussian model's.
 */
export function geometricInterferenceGains(uniform: Uniform, count: number, k: number, g: GeometricChannelParams, noisePowerW = 1): Float64Array {
  const out = new Float64Array(count * k * k);
  const side = g.areaSidePerSqrtPairM * Math.sqrt(k);
  // refSnrDb is the SNR at 1 W and d_ref, so the gain there is refSnr sigma^2.
  const refGain = 10 ** (g.refSnrDb / 10) * noisePowerW;
  const tx = new Float64Array(2 * k);
  const rx = new Float64Array(2 * k);
  for (let s = 0; s < count; s++) {
    for (let i = 0; i < k; i++) {
      tx[2 * i] = uniform() * side;
      tx[2 * i + 1] = uniform() * side;
      const d = g.minPairDistanceM + uniform() * (g.maxPairDistanceM - g.minPairDistanceM);
      const angle = 2 * Math.PI * uniform();
      rx[2 * i] = tx[2 * i] + d * Math.cos(angle);
      rx[2 * i + 1] = tx[2 * i + 1] + d * Math.sin(angle);
    }
    const fading = rayleighGains(uniform, 1, k * k);
    for (let r = 0; r < k; r++) {
      for (let t = 0; t < k; t++) {
        const d = Math.max(Math.hypot(rx[2 * r] - tx[2 * t], rx[2 * r + 1] - tx[2 * t + 1]), g.minLinkDistanceM);
        out[s * k * k + r * k + t] = refGain * (d / g.refDistanceM) ** -g.pathLossExponent * fading[r * k + t];
      }
    }
  }
  return out;
}

/** Gains of the channel model named in `params`. */
export function interferenceGains(uniform: Uniform, count: number, k: number, params: InterferenceParams): Float64Array {
  const channel: InterferenceChannel = params.channel;
  return channel === 'gaussian' ? gaussianInterferenceGains(uniform, count, k) : geometricInterferenceGains(uniform, count, k, params.geometric, params.noisePowerW);
}
