/**
 * Generates labelled power-allocation datasets: seeded Rayleigh gains per task and,
 * for fdma-delay, the exact optimal powers and delay as supervised labels (interference:
 * generate-interference.ts).
 * Each task and split has its own seed stream (derived from the seed, problem, N and
 * split), so adding a size never changes the data of the others.
 */
import { DatasetWriter, type DatasetManifest, type Split, type SplitArrays, SPLITS } from './dataset-files.js';
import { readStagedTask, writeStagedTask, type StagedHeader } from './dataset-shards.js';
import { rayleighGains } from '../../channels/rayleigh.js';
import { seededUniform } from '../../random.js';
import { solveFdmaDelayExact } from '../../solvers/fdma-delay-exact.js';
import { fdmaMeanDelay } from '../../solvers/objectives.js';
import { generateInterferenceSplit } from './generate-interference.js';
import { INTERFERENCE, meanGainLinear, type DatasetProblem, type FdmaDelayParams, type InterferenceParams, type SumCapacityParams } from '../../solvers/params.js';
import { VERSION } from '../../version.js';

export interface GenerateOptions {
  problem: DatasetProblem;
  sizes: number[];
  counts: Record<Split, number>;
  seed: number;
  params: FdmaDelayParams | SumCapacityParams | InterferenceParams;
  /** Called after every PROGRESS_EVERY labelled samples (and at the end of each split). */
  onProgress?: (samplesDone: number) => void;
}

const PROGRESS_EVERY = 1000;

/** Gains (and fdma-delay labels) for one task and split. */
export function generateSplit(opts: GenerateOptions, n: number, split: Split): SplitArrays {
  const count = opts.counts[split];
  if (opts.problem === INTERFERENCE) return generateInterferenceSplit(opts.params as InterferenceParams, opts.seed, n, split, count, opts.onProgress);
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

/** Both splits of one task. */
function generateTask(opts: GenerateOptions, n: number): Record<Split, SplitArrays> {
  return Object.fromEntries(SPLITS.map((split) => [split, generateSplit(opts, n, split)])) as Record<Split, SplitArrays>;
}

function header(opts: GenerateOptions): StagedHeader {
  return { toolVersion: VERSION, problem: opts.problem, params: opts.params, seed: opts.seed, counts: opts.counts };
}

/** Writes the tasks of `opts` (built from `tasksOf`) to DIR/<problem> and returns the manifest. */
function writeDataset(dir: string, opts: GenerateOptions, tasksOf: (n: number) => Record<Split, SplitArrays>): DatasetManifest {
  const { toolVersion, problem, params, seed, counts } = header(opts);
  const writer = new DatasetWriter(dir, { toolVersion, problem, params, seed, sizes: opts.sizes, counts });
  try {
    for (const n of opts.sizes) writer.addTask(n, tasksOf(n));
    return writer.commit();
  } catch (err) {
    writer.abort();
    throw err;
  }
}

/** Writes one problem's dataset to DIR/<problem> and returns its manifest. */
export function generateDataset(dir: string, opts: GenerateOptions): DatasetManifest {
  return writeDataset(dir, opts, (n) => generateTask(opts, n));
}

/** Sharded run: writes only the tasks of `opts.sizes` to the staging area under DIR (see dataset-shards.ts). */
export function stageDatasetTasks(dir: string, opts: GenerateOptions): void {
  for (const n of opts.sizes) writeStagedTask(dir, header(opts), n, generateTask(opts, n));
}

/** Merge step: builds DIR/<problem> from the staged tasks of every size (all must be staged). */
export function mergeStagedDataset(dir: string, opts: GenerateOptions): DatasetManifest {
  return writeDataset(dir, opts, (n) => readStagedTask(dir, header(opts), n));
}
