/** What the allocation tests share: four small tasks, their seeded data and a small network. */
import { tf } from '../../../src/dnn/engine.js';
import {
  AllocationNetwork,
  defaultNetworkConfig,
  DEFAULT_ALLOCATION_PARAMS,
  generateAllocationData,
  type AllocationTask,
  type Scheme,
} from '../../../src/dnn/allocation/index.js';

export const TASKS: AllocationTask[] = [
  { problem: 'fdma-delay', n: 3 },
  { problem: 'fdma-delay', n: 5 },
  { problem: 'sum-capacity', n: 3 },
  { problem: 'sum-capacity', n: 5 },
];
export const params = DEFAULT_ALLOCATION_PARAMS;
export const data = generateAllocationData(TASKS, { train: 400, test: 200 }, 7);
export const small = { hiddenWidths: [5, 8, 8, 5], routerHidden: 20 };

export function net(scheme: Scheme, seed = 1): AllocationNetwork {
  return new AllocationNetwork({ ...defaultNetworkConfig(scheme, TASKS, params), ...small }, seed);
}

/** Random inputs [K, B, in] built from the test gains. */
export function inputs(n: AllocationNetwork, rows = 16): tf.Tensor3D {
  const idx = TASKS.map((_, k) => k);
  return tf.tensor3d(n.buildInput(idx, data.test.map((s) => s.gains), rows), [TASKS.length, rows, n.inDim]);
}

/** [K, 1, 1] one-hot weights selecting task k (tf.gather has no gradient kernel on wasm). */
export function selector(k: number): tf.Tensor3D {
  return tf.tensor3d(TASKS.map((_, i) => (i === k ? 1 : 0)), [TASKS.length, 1, 1]);
}
