/**
 * Training/test data for the allocation tasks, from the Foundation dataset files
 * (DIR/fdma-delay and DIR/sum-capacity, see src/datasets/allocation/dataset-files.ts) or generated
 * in memory (tests, quick experiments).
 */
import { readDataset, type SplitArrays } from '../../datasets/allocation/dataset-files.js';
import { generateSplit } from '../../datasets/allocation/generate.js';
import type { FdmaDelayParams, Problem, SumCapacityParams } from '../../solvers/params.js';
import { isPerfect, observeGains, type ChannelKnowledge } from '../../channels/channel-knowledge.js';
import { DEFAULT_ALLOCATION_PARAMS, meanGainOf, type AllocationParams, type AllocationTask } from './tasks.js';

export interface AllocationData {
  tasks: AllocationTask[];
  params: AllocationParams;
  train: SplitArrays[];
  test: SplitArrays[];
  /** Identity of the data (sha256 of each problem's manifest.json, or 'in-memory:...'). */
  source: Partial<Record<Problem, string>>;
  seed?: number;
  /**
   * Imperfect channel knowledge (withChannelKnowledge): the gains the allocator observes, per
   * task, for the train and test splits. The network reads these; the losses and every metric
   * use the true gains of `train` / `test`. Absent: the true gains are observed.
   */
  observed?: { knowledge: ChannelKnowledge; seed: number; train: Float64Array[]; test: Float64Array[] };
}

/** The gains the allocator sees for each task of a split (observed when set, else the true ones). */
export function inputGains(data: AllocationData, split: 'train' | 'test'): Float64Array[] {
  return data.observed?.[split] ?? data[split].map((s) => s.gains);
}

/**
 * `data` with imperfect channel knowledge `k` (src/channels/channel-knowledge.ts) drawn with
 * `seed`: one stream per split and task, so a task's observation does not depend on which
 * other tasks are loaded. Perfect knowledge returns `data` itself.
 */
export function withChannelKnowledge(data: AllocationData, k: ChannelKnowledge, seed: number): AllocationData {
  if (isPerfect(k)) return data;
  const observe = (split: 'train' | 'test') =>
    data.tasks.map((t, i) => observeGains(data[split][i].gains, meanGainOf(t.problem, data.params), k, `channel-knowledge:${seed}:${split}:${t.problem}:${t.n}`));
  return { ...data, observed: { knowledge: { ...k }, seed, train: observe('train'), test: observe('test') } };
}

/**
 * Reads both problems' datasets from DIR (as written by `radio-mtl dataset`),
 * keeping only `tasks` (default: every size of both problems, fdma-delay first).
 */
export function loadAllocationData(dir: string, problems: readonly Problem[] = ['fdma-delay', 'sum-capacity'], sizes?: readonly number[]): AllocationData {
  const tasks: AllocationTask[] = [];
  const train: SplitArrays[] = [];
  const test: SplitArrays[] = [];
  const source: Partial<Record<Problem, string>> = {};
  const params: AllocationParams = { ...DEFAULT_ALLOCATION_PARAMS };
  let seed: number | undefined;
  for (const problem of problems) {
    const ds = readDataset(dir, problem, sizes);
    source[problem] = ds.manifestSha256;
    seed = ds.manifest.seed;
    if (problem === 'fdma-delay') params.fdmaDelay = ds.manifest.params as FdmaDelayParams;
    else params.sumCapacity = ds.manifest.params as SumCapacityParams;
    for (const t of [...ds.tasks].sort((a, b) => a.n - b.n)) {
      tasks.push({ problem, n: t.n });
      train.push(t.train);
      test.push(t.test);
    }
  }
  return { tasks, params, train, test, source, seed };
}

/** Seeded in-memory data (same generator as the dataset command). */
export function generateAllocationData(
  tasks: AllocationTask[],
  counts: { train: number; test: number },
  seed: number,
  params: AllocationParams = DEFAULT_ALLOCATION_PARAMS,
): AllocationData {
  const train: SplitArrays[] = [];
  const test: SplitArrays[] = [];
  for (const t of tasks) {
    const opts = { problem: t.problem, sizes: [t.n], counts, seed, params: t.problem === 'fdma-delay' ? params.fdmaDelay : params.sumCapacity };
    train.push(generateSplit(opts, t.n, 'train'));
    test.push(generateSplit(opts, t.n, 'test'));
  }
  return { tasks, params, train, test, source: { 'fdma-delay': `in-memory:${seed}`, 'sum-capacity': `in-memory:${seed}` }, seed };
}
