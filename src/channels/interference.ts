/**
 * Seeded channels of the K-user interference channel: `count` K x K gain matrices,
 * row-major per instance (G[k * K + j] = gain from transmitter j to receiver k, SNR per
 * watt relative to the noise power). The same uniform stream always gives the same numbers.
 */
import type { Uniform } from '../random.js';
import { rayleighGains } from './rayleigh.js';

/** Channel models of the interference channel (README, "Problems, units and choices"). */
export type InterferenceChannel = 'gaussian' | 'geometric';
export const INTERFERENCE_CHANNELS: readonly InterferenceChannel[] = ['gaussian', 'geometric'];

/**
 * Geometric channel: each pair's transmitter is dropped uniformly in a square whose side
 * grows as sqrt(K) (so the density of pairs is the same at every K), its receiver at a
 * uniform distance in [minPairDistanceM, maxPairDistanceM] and a uniform direction; the
 * gain from transmitter j to receiver k is refSnr sigma^2 (d_kj / refDistanceM)^-pathLossExponent
 * |h_kj|^2 with |h|^2 ~ Exp(1) (Rayleigh), distances floored at minLinkDistanceM.
 * The default values live with the other problem parameters (src/solvers/params.ts).
 */
export interface GeometricChannelParams {
  /** Side of the square per sqrt(pair), m: side = areaSidePerSqrtPairM sqrt(K). */
  areaSidePerSqrtPairM: number;
  minPairDistanceM: number;
  maxPairDistanceM: number;
  pathLossExponent: number;
  /** Mean SNR at 1 W and refDistanceM, dB. */
  refSnrDb: number;
  refDistanceM: number;
  /** Distances below this are floored (a cross link can be arbitrarily short), m. */
  minLinkDistanceM: number;
}

/** What the generator needs to know of the problem's parameters. */
export interface InterferenceChannelSpec {
  channel: InterferenceChannel;
  geometric: GeometricChannelParams;
  /** Receiver noise power sigma^2, W. */
  noisePowerW: number;
}

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
export function interferenceGains(uniform: Uniform, count: number, k: number, params: InterferenceChannelSpec): Float64Array {
  const channel: InterferenceChannel = params.channel;
  return channel === 'gaussian' ? gaussianInterferenceGains(uniform, count, k) : geometricInterferenceGains(uniform, count, k, params.geometric, params.noisePowerW);
}
