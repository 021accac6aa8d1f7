import { sumRateOf } from '../../src/solvers/interference-objective.js';
import { INTERFERENCE_DEFAULTS } from '../../src/solvers/params.js';

const limits = INTERFERENCE_DEFAULTS;

/** Brute force: the best sum rate over a grid of `steps` + 1 power levels per transmitter. */
export function gridSearch(gains: Float64Array, s: number, k: number, steps: number): number {
  const instance = gains.subarray(s * k * k, (s + 1) * k * k);
  const p = new Float64Array(k);
  let best = -Infinity;
  const visit = (t: number): void => {
    if (t === k) {
      best = Math.max(best, sumRateOf(instance, k, p, limits.noisePowerW));
      return;
    }
    for (let i = 0; i <= steps; i++) {
      p[t] = (i / steps) * limits.maxPowerW;
      visit(t + 1);
    }
  };
  visit(0);
  return best;
}

