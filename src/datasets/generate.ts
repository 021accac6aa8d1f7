/**
 * Generates labelled power-allocation datasets: seeded Rayleigh gains per task and,
 * for fdma-delay, the exact optimal powers and delay as supervised labels.
 * Each task and split has its own seed stream (derived from the seed, problem, N and
 * split), so adding a size never changes the data of the others.
 */
import { DatasetWriter, type DatasetManifest, type Split, type SplitArrays, SPLITS } from './dataset-files.js';
import { rayleighGains, seededUniform } from '../channels/rayleigh.js';
import { solveFdmaDelayExact } from '../solvers/fdma-delay-exact.js';
import { fdmaMeanDelay } from '../solvers/objectives.js';
import { meanGainLinear, type FdmaDelayParams, type Problem, type SumCapacityParams } from '../solvers/params.js';
import { VERSION } from '../version.js';

export interface GenerateOptions {
  problem: Problem;
  sizes: number[];
  counts: Record<Split, number>;
  seed: number;
  params: FdmaDelayParams | SumCapacityParams;
  /** Called after every PROGRESS_EVERY labelled samples (and at the end of each split). */
  onProgress?: (samplesDone: number) => void;
}

const PROGRESS_EVERY = 1000;

/** Gains (and fdma-delay labels) for one task and split. */
export function generateSplit(opts: GenerateOptions, n: number, split: Split): SplitArrays {
  const count = opts.counts[split];
  const uniform = seededUniform(`${opts.problem}:${opts.seed}:${n}:${split}`);
  if (opts.problem === 'sum-capacity') {
    const gains = rayleighGains(uniform, count, n);
    opts.onProgress?.(count);
    return { count, n, gains };
  }
  const params = opts.params as FdmaDelayParams;
  const gains = rayleighGains(uniform, count, n, meanGainLinear(params.meanGainDb));
  const power = new Float64Array(count * n);
  const objective = new Float64Array(count);
  let reported = 0;
  for (let s = 0; s < count; s++) {
    const g = gains.subarray(s * n, (s + 1) * n);
    const p = power.subarray(s * n, (s + 1) * n);
    solveFdmaDelayExact(params, g, p);
    objective[s] = fdmaMeanDelay(params, g, p);
    if (s + 1 - reported >= PROGRESS_EVERY) {
      opts.onProgress?.(s + 1 - reported);
      reported = s + 1;
    }
  }
  opts.onProgress?.(count - reported);
  return { count, n, gains, power, objective };
}

/** Writes one problem's dataset to DIR/<problem> and returns its manifest. */
export function generateDataset(dir: string, opts: GenerateOptions): DatasetManifest {
  const writer = new DatasetWriter(dir, {
    toolVersion: VERSION,
    problem: opts.problem,
    params: opts.params,
    seed: opts.seed,
    sizes: opts.sizes,
    counts: opts.counts,
  });
  try {
    for (const n of opts.sizes) {
      const splits = Object.fromEntries(SPLITS.map((split) => [split, generateSplit(opts, n, split)])) as Record<Split, SplitArrays>;
      writer.addTask(n, splits);
    }
    return writer.commit();
  } catch (err) {
    writer.abort();
    throw err;
  }
}
