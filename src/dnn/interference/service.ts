/**
 * The interference service: raw K x K gain matrices in, powers and sum rates out. The
 * server's routes (/v1/allocate with problem "interference", /v2), the CLI (`solve
 * --problem interference --solver dnn`) and the library (`openModel`) all answer through
 * it, so one input gets one answer everywhere. Inside: the gain validator shared with the
 * solvers (src/solvers/interference-input.ts), the served-K check and the score under the
 * model's own problem parameters. Callers choose only how the forward pass runs (the server
 * batches it across requests).
 */
import type { LoadedModel } from '../loaded-model.js';
import { parseInterferenceGains, type FieldStyle, type InterferenceBatch } from '../../solvers/interference-input.js';
import { sumRates } from '../../solvers/interference-objective.js';
import type { InterferenceParams } from '../../solvers/params.js';
import { NonFiniteOutputError, UnsupportedSizeError } from '../allocation/service.js';

/** A loaded interference model as the service and the server's registry hold it. */
export interface InterferenceServable extends LoadedModel {
  kind: 'interference';
  scheme: string;
  /** Trained numbers of pairs K, ascending. */
  sizes: number[];
  /** Channel model and power limit the model was trained with (the sum rate uses its noise power). */
  params: InterferenceParams;
  /** The raw forward pass: powers [count * K] (W) for `count` K x K matrices, row-major. */
  allocate(gains: Float64Array, count: number, k: number): Promise<Float64Array>;
}

export interface InterferenceAnswer {
  /** Pairs per instance. */
  k: number;
  /** Powers (W), one row per instance, each in [0, Pmax]. */
  power: number[][];
  /** Sum rate per instance, bits/s/Hz. */
  sumRate: number[];
}

export interface InterferenceRunners {
  /** How the forward pass runs (default: the model's own). */
  dnn?: (batch: InterferenceBatch) => Promise<Float64Array>;
  /** How entries are named in errors: `gains[2][0][1]` (default) or `gains/2/0/1`. */
  fieldStyle?: FieldStyle;
}

/** Refuses a K outside [smallest, largest] trained K (one inside is served by the next larger trained K). */
export function checkServedK(model: Pick<InterferenceServable, 'name' | 'sizes'>, k: number, field = 'gains'): void {
  const min = model.sizes[0];
  const max = model.sizes[model.sizes.length - 1];
  if (k >= min && k <= max) return;
  throw new UnsupportedSizeError(field, `K = ${k} pairs is outside the range model '${model.name}' was trained on (K from ${min} to ${max}; trained: ${model.sizes.join(', ')})`);
}

const rows = (flat: Float64Array, count: number, width: number) => Array.from({ length: count }, (_, s) => Array.from(flat.subarray(s * width, (s + 1) * width)));

/**
 * The model's powers for one K x K matrix or a batch of them (`gains` as parsed JSON),
 * scored by the sum rate. InputError for malformed gains or a K the model does not serve,
 * NonFiniteOutputError for a broken model.
 */
export async function allocateInterferenceWithModel(model: InterferenceServable, gains: unknown, runners: InterferenceRunners = {}): Promise<InterferenceAnswer> {
  const batch = parseInterferenceGains(gains, 'gains', runners.fieldStyle);
  checkServedK(model, batch.k);
  const power = await (runners.dnn ?? ((b: InterferenceBatch) => model.allocate(b.gains, b.count, b.k)))(batch);
  const sumRate = sumRates(batch.gains, batch.count, batch.k, power, model.params.noisePowerW);
  if (!power.every((p) => p >= 0 && p <= model.params.maxPowerW)) throw new NonFiniteOutputError(`model '${model.name}' produced a power outside [0, Pmax] or not a number; nothing was returned`);
  if (!sumRate.every(Number.isFinite)) throw new NonFiniteOutputError(`model '${model.name}' produced a non-finite sum rate; nothing was returned`);
  return { k: batch.k, power: rows(power, batch.count, batch.k), sumRate: Array.from(sumRate) };
}
