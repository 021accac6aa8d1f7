/**
 * Which instances an allocation network may answer. It is trained on Rayleigh gains,
 * g / meanGain ~ Exp(1), and its fdma-delay answers drift as one gain leaves that range
 * (shipped model, N = 5, median gap to the optimum: 0.04% at the mean, 2.7% at 1e3 times
 * the mean, 18% at 1e6). An instance is trusted when every normalised gain lies between
 * the Exp(1) quantiles of tail probability 1e-7 (1e-7 .. 16.1): values rarer than one
 * draw in ten million, beyond what a training set of 30,000 x 20 gains holds. Any other
 * instance goes to the exact solver.
 */
import type { Problem } from '../../solvers/params.js';
import { meanGainOf, type AllocationParams } from './tasks.js';

export const TRUSTED_TAIL_PROBABILITY = 1e-7;

/** Trusted gains (1/W) for `problem` under the model's parameters (its mean gain). */
export function trustedGainRange(problem: Problem, params: AllocationParams): { min: number; max: number } {
  const mean = meanGainOf(problem, params);
  return { min: -Math.log1p(-TRUSTED_TAIL_PROBABILITY) * mean, max: -Math.log(TRUSTED_TAIL_PROBABILITY) * mean };
}

/** True when every gain of `gains` lies in `range`. */
export function isTrustedInstance(gains: readonly number[], range: { min: number; max: number }): boolean {
  return gains.every((g) => g >= range.min && g <= range.max);
}
