/**
 * Exhaustive on/off power control: the best of the 2^K - 1 sets of transmitters that send
 * at Pmax while the others stay silent. Binary power control is optimal at K = 2
 * (Gjendemsjo, Gesbert, Oien, Kiani, WiOpt 2006) and close to it beyond; it costs
 * O(2^K K^2) per instance, so it is offered for K <= ON_OFF_MAX_PAIRS only.
 */
import { InputError } from '../input-error.js';
import { sumRateOf, type InterferenceLimits } from './interference-objective.js';
import { ON_OFF_MAX_PAIRS } from './params.js';
import type { InterferenceSolution } from './wmmse.js';

export function exhaustiveOnOff(gains: ArrayLike<number>, count: number, k: number, limits: InterferenceLimits): InterferenceSolution {
  if (k > ON_OFF_MAX_PAIRS) throw new InputError('K', `exhaustive on/off power control takes K <= ${ON_OFF_MAX_PAIRS} (2^K sets), got ${k}`);
  const power = new Float64Array(count * k);
  const sumRate = new Float64Array(count);
  const trial = new Float64Array(k);
  const instance = new Float64Array(k * k);
  for (let s = 0; s < count; s++) {
    for (let i = 0; i < k * k; i++) instance[i] = gains[s * k * k + i];
    let best = -Infinity;
    let bestSet = 0;
    for (let set = 1; set < 1 << k; set++) {
      for (let t = 0; t < k; t++) trial[t] = set & (1 << t) ? limits.maxPowerW : 0;
      const rate = sumRateOf(instance, k, trial, limits.noisePowerW);
      if (rate > best) {
        best = rate;
        bestSet = set;
      }
    }
    for (let t = 0; t < k; t++) power[s * k + t] = bestSet & (1 << t) ? limits.maxPowerW : 0;
    sumRate[s] = best;
  }
  return { power, sumRate };
}
