/**
 * Stand-in for the allocation serving engine until src/dnn/allocation/predict.ts exists:
 * raw gains [batch, n] in, powers (W) out, over the tfjs model. Delete once predict.ts lands.
 */
import { loadAllocationModel, type AllocationTask } from '../dnn/allocation/index.js';
import { initEngine } from '../dnn/engine.js';
import type { Problem } from '../solvers/params.js';

export interface AllocationServing {
  engine: string;
  tasks: AllocationTask[];
  /** Powers for `gains.length / n` rows of n raw gains (row-major). */
  allocateRows(problem: Problem, n: number, gains: Float64Array): Float64Array;
}

export async function loadAllocationServing(dir: string): Promise<AllocationServing> {
  const backend = await initEngine();
  const model = await loadAllocationModel(dir);
  return { engine: `tfjs-${backend}`, tasks: model.tasks, allocateRows: (problem, n, gains) => model.allocateRows(problem, n, gains) };
}
