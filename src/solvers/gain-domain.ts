/**
 * The gains the allocation solvers accept: the ONE definition, used by the CLI's input
 * validation (gains-input.ts) and the HTTP API; openapi.yaml states the same numbers.
 *
 * Gains are linear SNR per watt (1/W), normalised so that the Rayleigh mean is 1
 * (README, "Problems, units and choices"). The domain is +-120 dB around that mean:
 * [1e-12, 1e12] covers every path loss from 24 dB to 264 dB at the default noise and
 * bandwidth, and inside it the exact solvers and the interior-point method agree to
 * round-off (test/solvers/gain-domain.test.ts). Beyond it the float64 arithmetic of the
 * solvers breaks down (P = expm1(u) / a overflows near 1e308, 1 / a near 5e-324).
 */
import type { Problem } from './params.js';

/** Largest gain, 1/W: 120 dB above the mean. */
export const GAIN_MAX = 1e12;
/** Smallest fdma-delay gain, 1/W: 120 dB below the mean (a zero gain has infinite delay). */
export const GAIN_MIN_FDMA_DELAY = 1e-12;

export interface GainRange {
  min: number;
  max: number;
}

/** Allowed gains per problem; sum-capacity accepts 0 (a user without a channel gets no power). */
export function gainRange(problem: Problem): GainRange {
  return { min: problem === 'fdma-delay' ? GAIN_MIN_FDMA_DELAY : 0, max: GAIN_MAX };
}

export interface GainOutsideDomain {
  row: number;
  column: number;
  /** The rule broken, e.g. "must be <= 1e12 (120 dB above the mean gain)". */
  rule: string;
}

/** The first gain of `rows` outside the domain of `problem`, or undefined when all are inside. */
export function findGainOutsideDomain(problem: Problem, rows: readonly (readonly number[])[]): GainOutsideDomain | undefined {
  const { min, max } = gainRange(problem);
  for (let row = 0; row < rows.length; row++) {
    const r = rows[row];
    for (let column = 0; column < r.length; column++) {
      const g = r[column];
      if (g > max) return { row, column, rule: `must be <= ${max.toExponential()} (120 dB above the mean gain)` };
      if (!(g >= 0)) return { row, column, rule: 'must be >= 0' };
      if (g < min) {
        const rule = g === 0 ? 'must be > 0 for fdma-delay (a zero gain has infinite delay)' : `must be >= ${min.toExponential()} for fdma-delay (120 dB below the mean gain)`;
        return { row, column, rule };
      }
    }
  }
  return undefined;
}
