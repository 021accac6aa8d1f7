/**
 * One split of an interference-channel dataset: seeded K x K gains of the channel model
 * in the parameters, labelled with WMMSE from full power (its powers and sum rate: the
 * reference a learned allocator is measured against, and the targets of an imitation
 * warm start). Every (channel, seed, K, split) has its own random stream.
 */
import type { SplitArrays, Split } from './dataset-files.js';
import { interferenceGains } from '../../channels/interference.js';
import { seededUniform } from '../../random.js';
import type { InterferenceParams } from '../../solvers/params.js';
import { fullPower, wmmse, WMMSE_DEFAULTS } from '../../solvers/wmmse.js';

/** Instances labelled per WMMSE call: keeps progress moving and memory flat. */
const CHUNK = 1000;

export function generateInterferenceSplit(params: InterferenceParams, seed: number, k: number, split: Split, count: number, onProgress?: (done: number) => void): SplitArrays {
  const uniform = seededUniform(`interference:${params.channel}:${seed}:${k}:${split}`);
  const gains = interferenceGains(uniform, count, k, params);
  const power = new Float64Array(count * k);
  const objective = new Float64Array(count);
  for (let start = 0; start < count; start += CHUNK) {
    const size = Math.min(CHUNK, count - start);
    const chunk = gains.subarray(start * k * k, (start + size) * k * k);
    const solved = wmmse(chunk, size, k, params, fullPower(size, k, params), WMMSE_DEFAULTS);
    power.set(solved.power, start * k);
    objective.set(solved.sumRate, start);
    onProgress?.(size);
  }
  return { count, n: k, gains, power, objective };
}
