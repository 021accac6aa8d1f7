/**
 * Training/test data for the allocation tasks, from the Foundation dataset files
 * (DIR/fdma-delay and DIR/sum-capacity, see src/datasets/allocation/dataset-files.ts) or generated
 * in memory (tests, quick experiments).
 */
import { readDataset, type SplitArrays } from '../../datasets/allocation/dataset-files.js';
import { generateSplit } from '../../datasets/allocation/generate.js';
import type { FdmaDelayParams, Problem, SumCapacityParams } from '../../solvers/params.js';
import { DEFAULT_ALLOCATION_PARAMS, type AllocationParams, type AllocationTask } from './tasks.js';

export interface AllocationData {
  tasks: AllocationTask[];
  params: AllocationParams;
  train: SplitArrays[];
  test: SplitArrays[];
  /** Identity of the data (sha256 of each problem's manifest.json, or 'in-memory:...'). */
  source: Partial<Record<Problem, string>>;
  seed?: number;
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
