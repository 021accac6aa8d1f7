/**
 * The comparison the interference goals are measured with: on fresh seeded channels per
 * K (a stream no training run draws from), the mean sum rate of every baseline
 * (src/solvers: WMMSE from full power, best of 10 random WMMSE starts, full power, random
 * power, exhaustive on/off for K <= 10) and of each trained network.
 */
import { interferenceGains } from '../../channels/interference.js';
import { seededUniform } from '../../random.js';
import { sumRates } from '../../solvers/interference-objective.js';
import { exhaustiveOnOff } from '../../solvers/interference-on-off.js';
import { ON_OFF_MAX_PAIRS, type InterferenceParams } from '../../solvers/params.js';
import { fullPower, randomPower, wmmse, wmmseBestOf } from '../../solvers/wmmse.js';
import { allocateInterference, taskFor } from './allocate.js';
import type { FeatureScale } from './features.js';
import type { InterferenceNetwork } from './network.js';

export interface ModelRow {
  /** Mean sum rate, bits/s/Hz. */
  rate: number;
  /** Mean sum rate of WMMSE started from the model's powers instead of full power (a refinement, not the model alone). */
  refinedRate: number;
  /** The trained K whose task answered (differs from K for an untrained K). */
  servedBy: number;
  minPower: number;
  maxPower: number;
}

export interface ComparisonRow {
  k: number;
  count: number;
  baselines: { wmmse: number; bestOf10: number; fullPower: number; randomPower: number; onOff?: number };
  models: Record<string, ModelRow | { error: string }>;
}

const mean = (a: ArrayLike<number>) => Array.from(a).reduce((x, y) => x + y, 0) / a.length;

/** The seeded evaluation channels of one K (stream `interference-eval:<channel>:<seed>:<K>`). */
export function evaluationChannels(params: InterferenceParams, seed: number, k: number, count: number): Float64Array {
  return interferenceGains(seededUniform(`interference-eval:${params.channel}:${seed}:${k}`), count, k, params);
}

export function baselineRates(params: InterferenceParams, gains: Float64Array, count: number, k: number, seed: number): ComparisonRow['baselines'] {
  const starts = seededUniform(`interference-eval-starts:${params.channel}:${seed}:${k}`);
  return {
    wmmse: mean(wmmse(gains, count, k, params, fullPower(count, k, params)).sumRate),
    bestOf10: mean(wmmseBestOf(gains, count, k, params, 10, starts).sumRate),
    fullPower: mean(sumRates(gains, count, k, fullPower(count, k, params), params.noisePowerW)),
    randomPower: mean(sumRates(gains, count, k, randomPower(starts, count, k, params), params.noisePowerW)),
    ...(k <= ON_OFF_MAX_PAIRS ? { onOff: mean(exhaustiveOnOff(gains, count, k, params).sumRate) } : {}),
  };
}

export function modelRate(net: InterferenceNetwork, scale: FeatureScale, params: InterferenceParams, gains: Float64Array, count: number, k: number): ModelRow | { error: string } {
  let task: number;
  try {
    task = taskFor(net, k);
  } catch (err) {
    return { error: (err as Error).message };
  }
  const power = allocateInterference(net, scale, gains, count, k, task);
  const refinedRate = mean(wmmse(gains, count, k, params, power).sumRate);
  return { rate: mean(sumRates(gains, count, k, power, params.noisePowerW)), refinedRate, servedBy: net.config.sizes[task], minPower: power.reduce((a, b) => Math.min(a, b)), maxPower: power.reduce((a, b) => Math.max(a, b)) };
}
