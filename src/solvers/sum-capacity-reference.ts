/**
 * The P4 reference optimum for N users: lambda* and the optimal average capacity,
 * by Monte Carlo over seeded Rayleigh gains. Shared by the CLI, evaluation and the server.
 */
import { rayleighGains } from '../channels/rayleigh.js';
import { seededUniform } from '../random.js';
import { solveSumCapacityOptimum, type SumCapacityOptimum } from './sum-capacity-exact.js';
import { sumCapacityBudget, type SumCapacityParams } from './params.js';

export function sumCapacityReference(params: SumCapacityParams, n: number, samples: number, seed: number): SumCapacityOptimum {
  const gains = rayleighGains(seededUniform(`sum-capacity-optimum:${seed}:${n}`), samples, n);
  return solveSumCapacityOptimum(gains, n, sumCapacityBudget(params, n), params.maxPowerW);
}
