/**
 * Step time of the routed multi-task DNN in radio-mtl (the counterpart of
 * torch-step-bench.py): 14 tasks x batch 32, Table I network, phase 1 (bDNN + rDNN) and
 * phase 2 (masks frozen). Run: npx tsx results/allocation/tfjs-step-bench.ts [backend]
 */
import { initEngine } from '../../src/dnn/engine.js';
import { generateAllocationData, paperTasks, trainAllocation, DEFAULT_TRAIN_OPTIONS } from '../../src/dnn/allocation/index.js';

const backend = await initEngine(process.argv[2]);
const data = generateAllocationData(paperTasks(), { train: 2000, test: 10 }, 1);
const times: number[] = [];
let last = performance.now();
const steps = 550;
trainAllocation(data, {
  ...DEFAULT_TRAIN_OPTIONS,
  scheme: 'routed',
  t1: steps,
  t2: steps,
  evalEvery: 0,
  onStep: () => {
    const now = performance.now();
    times.push(now - last);
    last = now;
  },
});
const mean = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;
// Skip 50 warm-up steps of each phase (and the re-initialisation between them).
console.log(`phase 1: ${mean(times.slice(50, steps)).toFixed(2)} ms/step, phase 2: ${mean(times.slice(steps + 50)).toFixed(2)} ms/step (tfjs ${backend}, 1 thread)`);
