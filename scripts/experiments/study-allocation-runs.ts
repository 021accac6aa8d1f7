/**
 * One run of `npm run study:allocation`: train a point's routed model for one seed
 * (resumable: runAllocationTraining checkpoints inside the run's folder), then evaluate it on
 * the true test gains under each of its channel-knowledge conditions and write `study.json`
 * beside the model. A run whose study.json matches the budget is finished; a trained model
 * without it is evaluated, not retrained.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../src/io/atomic-write.js';
import { inputGains, withChannelKnowledge, type AllocationData } from '../../src/dnn/allocation/data.js';
import { evaluateNetwork, type TaskMetrics } from '../../src/dnn/allocation/evaluate.js';
import { loadAllocationNetwork, type AllocationManifest } from '../../src/dnn/allocation/model.js';
import { runAllocationTraining } from '../../src/dnn/allocation/pipeline.js';
import { DEFAULT_TRAIN_OPTIONS } from '../../src/dnn/allocation/trainer.js';
import { modelExists, readModelJson } from '../../src/dnn/model-io.js';
import { CONDITIONS, conditionsOf, GAIN_SEED, type StudyRun } from './study-allocation-design.js';

/** What study.json holds. */
export interface RunResult {
  point: string;
  seed: number;
  t1: number;
  t2: number;
  trainSeconds: number;
  maskDensity?: number[];
  taskWeights?: number[];
  /** Test metrics on the true gains, per condition id. */
  evaluations: Record<string, TaskMetrics[]>;
}

export const budgetOf = (run: StudyRun, steps: number) => {
  const t1 = Math.round(run.point.t1Fraction * steps);
  return { t1, t2: steps - t1 };
};

/** The finished run's result, or undefined (absent, or made with another budget). */
export function readRunResult(dir: string, run: StudyRun, steps: number): RunResult | undefined {
  const file = join(dir, 'study.json');
  if (!existsSync(file)) return undefined;
  const r = JSON.parse(readFileSync(file, 'utf8')) as RunResult;
  const { t1, t2 } = budgetOf(run, steps);
  return r.t1 === t1 && r.t2 === t2 && r.seed === run.seed ? r : undefined;
}

/** Whether `dir` holds this run's trained model (same budget and seed). */
function trained(dir: string, t1: number, t2: number, seed: number): boolean {
  if (!modelExists(dir)) return false;
  const m = readModelJson<AllocationManifest>(dir).json.manifest.training;
  return m.t1 === t1 && m.t2 === t2 && m.seed === seed;
}

/** Trains (unless trained) and evaluates one run; returns its result, written to dir/study.json. */
export function trainAndEvaluate(run: StudyRun, dir: string, data: AllocationData, steps: number, backend: string): RunResult {
  const { point, seed } = run;
  const { t1, t2 } = budgetOf(run, steps);
  if (!trained(dir, t1, t2, seed)) {
    runAllocationTraining({
      data: withChannelKnowledge(data, point.knowledge, GAIN_SEED),
      out: dir,
      refSamples: 0,
      backend,
      train: { ...DEFAULT_TRAIN_OPTIONS, scheme: 'routed', seed, t1, t2, weighting: point.weighting, network: { gamma: point.gamma }, evalEvery: 0 },
    });
  }
  const { net, manifest } = loadAllocationNetwork(dir);
  try {
    const evaluations = Object.fromEntries(
      conditionsOf(point).map((c) => [c, evaluateNetwork(net, data.test, undefined, undefined, inputGains(withChannelKnowledge(data, CONDITIONS[c], GAIN_SEED), 'test'))]),
    );
    const result: RunResult = {
      point: point.id, seed, t1, t2, trainSeconds: manifest.training.trainSeconds, maskDensity: manifest.maskDensity,
      ...(manifest.training.taskWeights ? { taskWeights: manifest.training.taskWeights } : {}), evaluations,
    };
    writeFileAtomic(join(dir, 'study.json'), `${JSON.stringify(result)}\n`);
    return result;
  } finally {
    net.dispose();
  }
}
