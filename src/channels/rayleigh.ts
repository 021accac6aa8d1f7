/**
 * Seeded Rayleigh-fading channel gains: |h|^2 ~ Exp(1) (unit-mean power gain),
 * scaled by a mean gain. The same seed always gives the same numbers.
 */
import type { Uniform } from '../random.js';

/**
 * `count` samples of `n` gains (row-major), each meanGain * Exp(1).
 * Inverse-CDF sampling: -ln(1 - U) with U in [0, 1) is never infinite.
 */
export function rayleighGains(uniform: Uniform, count: number, n: number, meanGain = 1): Float64Array {
  const out = new Float64Array(count * n);
  for (let i = 0; i < out.length; i++) {
    let g = -Math.log1p(-uniform()) * meanGain;
    // U = 0 gives an exact zero gain; a band with no gain has no defined delay, so redraw.
    while (g === 0) g = -Math.log1p(-uniform()) * meanGain;
    out[i] = g;
  }
  return out;
}
