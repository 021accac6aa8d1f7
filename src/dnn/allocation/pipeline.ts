/**
 * The allocation pipeline, one training run end to end (used by `radio-mtl train
 * allocation`): train a scheme with checkpoints, evaluate it on the full test splits with
 * the sum-capacity optimum as reference, and save the model with its test curve
 * (curve.json) and metrics (metrics.json) in one version (model.ts), so the sidecars
 * always describe the weights beside them.
 */
import { join } from 'node:path';
import type { SumCapacityParams } from '../../solvers/params.js';
import { removeCheckpoints } from '../training/checkpoint.js';
import type { AllocationData } from './data.js';
import { evaluateNetwork, type TaskMetrics } from './evaluate.js';
import { buildManifest, saveAllocationModel, type AllocationManifest } from './model.js';
import type { AllocationNetwork } from './network.js';
import { summarise, sumCapacityReferences, type AllocationRunReport, type EvaluationSummary, type ReferenceOptimum } from './report.js';
import { DEFAULT_TRAIN_OPTIONS, trainAllocation, type TrainOptions, type TrainResult } from './trainer.js';

export interface AllocationRunOptions {
  data: AllocationData;
  /** Final model directory. */
  out: string;
  train: TrainOptions;
  /** Monte Carlo samples per N of the sum-capacity optimum (0: no reference). */
  refSamples: number;
  backend: string;
  /** Where checkpoints go (default: out/checkpoint). Removed when the model is saved unless keepCheckpoints. */
  checkpointDir?: string;
  keepCheckpoints?: boolean;
  /** Called once training ends, before the evaluation. */
  onTrained?: (result: TrainResult) => void;
  /** The test evaluation (default evaluateNetwork on every row; a command may add progress); `inputs`: the observed test gains, if any. */
  evaluate?: (net: AllocationNetwork, test: AllocationData['test'], inputs?: Float64Array[]) => TaskMetrics[];
  /** The sum-capacity optimum per N (default sumCapacityReferences with seed 1). */
  references?: (params: SumCapacityParams, sizes: number[], samples: number) => ReferenceOptimum[];
}


export interface AllocationRunResult {
  report: AllocationRunReport;
  summary: EvaluationSummary;
  manifest: AllocationManifest;
}

const defaultReferences = (params: SumCapacityParams, sizes: number[], samples: number) => (samples > 0 && sizes.length ? sumCapacityReferences(params, sizes, samples, 1) : []);

/** Trains (resuming from checkpoints), evaluates and saves one allocation model to `out`. */
export function runAllocationTraining(o: AllocationRunOptions): AllocationRunResult {
  const { data } = o;
  const checkpointDir = o.checkpointDir ?? join(o.out, 'checkpoint');
  const options = { ...DEFAULT_TRAIN_OPTIONS, ...o.train };
  const result = trainAllocation(data, { ...options, checkpointDir });
  try {
    o.onTrained?.(result);
    const metrics = (o.evaluate ?? ((net, test, inputs) => evaluateNetwork(net, test, undefined, undefined, inputs)))(result.net, data.test, data.observed?.test);
    const sumSizes = data.tasks.filter((t) => t.problem === 'sum-capacity').map((t) => t.n);
    const references = (o.references ?? defaultReferences)(data.params.sumCapacity, sumSizes, o.refSamples);
    const summary = summarise(metrics, references);
    const manifest = buildManifest(result, options, { source: data.source, seed: data.seed, ...(data.observed ? { channelKnowledge: { ...data.observed.knowledge, seed: data.observed.seed } } : {}) }, o.backend, metrics);
    const report: AllocationRunReport = {
      scheme: options.scheme, model: o.out, backend: o.backend, steps: result.steps, trainSeconds: result.trainSeconds, stepMs: result.stepMs,
      lambdas: result.lambdas, maskDensity: result.maskDensity, references, ...summary,
    };
    const sidecars = {
      'curve.json': `${JSON.stringify({ scheme: options.scheme, seed: options.seed, curve: result.curve })}\n`,
      'metrics.json': `${JSON.stringify(report, null, 2)}\n`,
    };
    saveAllocationModel(o.out, result.net, manifest, sidecars);
    if (!o.keepCheckpoints) removeCheckpoints(checkpointDir);
    return { report, summary, manifest };
  } finally {
    result.net.dispose();
  }
}
