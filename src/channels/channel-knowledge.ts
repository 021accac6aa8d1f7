/**
 * Imperfect channel knowledge: the gains an allocator observes instead of the true g = |h|^2.
 *
 *  - Estimation error: g_hat = |h + e|^2 with e ~ CN(0, sigma_e^2 * meanGain). sigma_e^2
 *    (`errorVariance`) is RELATIVE: the error's variance as a fraction of the mean channel
 *    power E|h|^2 = meanGain, so sigma_e^2 = 0.1 is an estimate 10 dB above its error
 *    whatever the units of the gains. e is circular, so the phase of h does not change the
 *    law of g_hat and h = sqrt(g) (real) is used. The estimate is biased upwards:
 *    E[g_hat | g] = g + sigma_e^2 * meanGain.
 *  - Missing gains: each user's gain is missing independently with probability
 *    `missingFraction` and is then IMPUTED with the prior mean meanGain (E[g] under Rayleigh
 *    fading). The network and the exact solver receive the same imputed vector, so a
 *    comparison between them compares policies, not information; and the network's input
 *    layer (its size, the sorted inputs, served models and their ONNX export) stays as it is.
 *    The cost: a network cannot tell an imputed gain from a measured gain equal to the mean.
 *
 * Seeded: the same seed string and true gains always give the same observation.
 */
import { seededUniform } from '../random.js';

export interface ChannelKnowledge {
  /** sigma_e^2 / E|h|^2 (0: exact gains). */
  errorVariance: number;
  /** Probability that a user's gain is missing (imputed with the mean gain). */
  missingFraction: number;
}

export const PERFECT_KNOWLEDGE: Readonly<ChannelKnowledge> = Object.freeze({ errorVariance: 0, missingFraction: 0 });

export const isPerfect = (k: ChannelKnowledge): boolean => k.errorVariance === 0 && k.missingFraction === 0;

/** The observed gains for true `gains` (any layout; each entry one user's gain), drawn from the stream `seed`. */
export function observeGains(gains: Float64Array, meanGain: number, k: ChannelKnowledge, seed: string): Float64Array {
  if (!(k.errorVariance >= 0)) throw new RangeError(`errorVariance must be >= 0, got ${k.errorVariance}`);
  if (!(k.missingFraction >= 0 && k.missingFraction < 1)) throw new RangeError(`missingFraction must be in [0, 1), got ${k.missingFraction}`);
  const uniform = seededUniform(seed);
  // Per real dimension: half the complex variance.
  const sd = Math.sqrt((k.errorVariance * meanGain) / 2);
  const out = new Float64Array(gains.length);
  for (let i = 0; i < gains.length; i++) {
    // Box-Muller: two independent N(0, 1) from two uniforms (1 - U is in (0, 1]).
    const r = Math.sqrt(-2 * Math.log(1 - uniform()));
    const theta = 2 * Math.PI * uniform();
    const re = Math.sqrt(gains[i]) + sd * r * Math.cos(theta);
    const im = sd * r * Math.sin(theta);
    // A gain of exactly zero has no defined delay; floored far below any gain that matters.
    const observed = sd > 0 ? Math.max(re * re + im * im, 1e-12 * meanGain) : gains[i];
    out[i] = uniform() < k.missingFraction ? meanGain : observed;
  }
  return out;
}
