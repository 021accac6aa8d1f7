/** The allocation trainer with the training toolkit: resume after an interruption, finite-loss guard. */
import { join } from 'node:path';
import { makeTempDir } from '../../helpers/tmp.js';
import { initEngine } from '../../../src/dnn/engine.js';
import { DEFAULT_TRAIN_OPTIONS, generateAllocationData, trainAllocation, type AllocationTask, type TrainOptions, type TrainResult } from '../../../src/dnn/allocation/index.js';
import { TrainingDivergedError } from '../../../src/dnn/training/finite-loss.js';
import type { TrainingEvent } from '../../../src/dnn/training/events.js';

const TASKS: AllocationTask[] = [
  { problem: 'fdma-delay', n: 3 },
  { problem: 'sum-capacity', n: 5 },
];
const data = generateAllocationData(TASKS, { train: 300, test: 100 }, 7);
const base = { ...DEFAULT_TRAIN_OPTIONS, seed: 3, t1: 30, t2: 30, batchPerTask: 16, evalEvery: 10, evalRows: 50, checkpointEvery: 7, network: { hiddenWidths: [5, 8, 8, 5], routerHidden: 20 } };
let tmp: ReturnType<typeof makeTempDir>;

beforeAll(async () => {
  await initEngine();
  tmp = makeTempDir();
});
afterAll(() => tmp.cleanup());

/** Everything a run leaves behind, as bytes and JSON (a resumed run must match it exactly). */
function outcome(r: TrainResult) {
  const weights = Object.fromEntries(Object.entries(r.net.namedWeights()).map(([k, t]) => [k, Buffer.from((t.dataSync() as Float32Array).buffer).toString('base64')]));
  const out = { weights, lambdas: r.lambdas, curve: JSON.stringify(r.curve), finalLoss: r.finalLoss, steps: r.steps, maskDensity: r.maskDensity, taskWeights: r.taskWeights };
  r.net.dispose();
  return out;
}

/** Runs until the step event `killAt`, which "kills" the process before that step's checkpoint. */
function interrupted(options: TrainOptions, killAt: number): void {
  const kill = (e: TrainingEvent<never, unknown>) => {
    if (e.type === 'step' && e.step === killAt) throw new Error('killed');
  };
  expect(() => trainAllocation(data, { ...options, onEvent: kill })).toThrow('killed');
}

describe('allocation trainer: resume', () => {
  const uninterruptedRuns: Record<string, ReturnType<typeof outcome>> = {};
  it.each([
    ['routed', 20, 14, 'equal'], // phase 1; checkpoints every 7 steps
    ['routed', 30, 28, 'equal'], // the last step of phase 1, killed before its checkpoint
    ['routed', 47, 44, 'equal'], // phase 2 (30 + 14)
    ['naive', 41, 35, 'equal'],
    ['routed', 47, 44, 'uncertainty'], // the log-variances and their Adam moments
    ['routed', 55, 51, 'gradnorm'], // the GradNorm weights (updated at steps 0 and 50) and initial losses
  ] as const)('%s killed at step %i resumes from step %i and ends with the weights of an uninterrupted run (%s weighting)', (scheme, killAt, resumesAt, weighting) => {
    const options: TrainOptions = { ...base, scheme, weighting };
    const uninterrupted = (uninterruptedRuns[`${scheme}-${options.weighting}`] ??= outcome(trainAllocation(data, options)));
    const checkpointDir = join(tmp.dir, `${scheme}-${options.weighting}-${killAt}`);
    interrupted({ ...options, checkpointDir }, killAt);
    const events: TrainingEvent<never, unknown>[] = [];
    const resumed = trainAllocation(data, { ...options, checkpointDir, onEvent: (e) => events.push(e) });
    expect(events[0]).toEqual({ type: 'resumed', step: resumesAt, total: 60 });
    expect(events.filter((e) => e.type === 'step')).toHaveLength(60 - resumesAt);
    expect(outcome(resumed)).toEqual(uninterrupted);
  });

  it('a finished run given its checkpoint returns at once with the same weights', () => {
    const checkpointDir = join(tmp.dir, 'finished');
    const first = outcome(trainAllocation(data, { ...base, scheme: 'routed', checkpointDir }));
    const events: TrainingEvent<never, unknown>[] = [];
    const again = trainAllocation(data, { ...base, scheme: 'routed', checkpointDir, onEvent: (e) => events.push(e) });
    expect(events).toEqual([{ type: 'resumed', step: 60, total: 60 }]);
    expect(outcome(again)).toEqual(first);
  });
});

describe('allocation trainer: finite-loss guard', () => {
  it('stops a diverging run at the step whose loss is not finite, naming it', () => {
    const run = () => trainAllocation(data, { ...base, scheme: 'naive', learningRate: 1e30, evalEvery: 0 });
    expect(run).toThrow(TrainingDivergedError);
    expect(run).toThrow(/^training diverged at step 2 \(loss NaN\); lower the learning rate/);
  });
});
