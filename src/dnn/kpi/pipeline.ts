/**
 * The KPI pipeline, one training run end to end (used by `radio-mtl train kpi`, `evaluate
 * kpi` and scripts/experiments/reproduce-kpi.ts): load the FccIQ CSVs, train with checkpoints, evaluate
 * the test split (metrics.ts) with timings, save the model with its scalers and manifest
 * (model.ts).
 */
import { join } from 'node:path';
import { tf } from '../engine.js';
import { loadKpiDataset, type KpiDataset } from '../../datasets/kpi/fcciq.js';
import type { KpiInputs } from '../../measurements/inputs.js';
import type { WindowSet } from '../../datasets/kpi/windows.js';
import { removeCheckpoints } from '../training/checkpoint.js';
import type { TrainingListener } from '../training/events.js';
import { countParams, disposeKpiModel, type KpiModel } from './base.js';
import { makeBatch, range } from './data.js';
import { testMetrics } from './metrics.js';
import { buildKpiManifest, saveKpiModel, type KpiEvaluation, type KpiModelManifest, type KpiTimings } from './model.js';
import { createKpiModel, type KpiArch } from './registry.js';
import { predictKpi } from './predict.js';
import { trainKpi, type EpochLog } from './trainer.js';
import { median } from '../../median.js';
import { KPI_OPTIMISER, KPI_RECIPE } from './recipe.js';
import type { Weighting } from '../training/weighting.js';

/** Wall-clock timings of inference on `ws`. */
export function timeInference(model: KpiModel, ws: WindowSet, batchedSize = 640, reps = 30): KpiTimings {
  const ctx = { training: false, rng: Math.random };
  const t0 = performance.now();
  predictKpi(model, ws);
  const testSeconds = (performance.now() - t0) / 1000;
  const one = makeBatch(ws, [0], model.config.context);
  const runOnce = (b: typeof one) => tf.tidy(() => model.forward(b, ctx).reg.dataSync());
  runOnce(one);
  const lat: number[] = [];
  for (let i = 0; i < reps; i++) {
    const a = performance.now();
    runOnce(one);
    lat.push(performance.now() - a);
  }
  const n = Math.min(batchedSize, ws.count);
  const big = makeBatch(ws, range(0, n).map((i) => i % ws.count), model.config.context);
  runOnce(big);
  const bl: number[] = [];
  for (let i = 0; i < 5; i++) {
    const a = performance.now();
    runOnce(big);
    bl.push(performance.now() - a);
  }
  tf.dispose([one.x, one.last, one.recent, big.x, big.last, big.recent]);
  return { testSeconds, latencyBatch1Ms: median(lat), latencyBatchedMs: median(bl) / n, batchedSize: n };
}

export function evaluateKpi(model: KpiModel, ws: WindowSet, timings = true): KpiEvaluation {
  const { reg, prob } = predictKpi(model, ws);
  return {
    metrics: testMetrics(reg, prob, ws),
    timings: timings ? timeInference(model, ws) : { testSeconds: NaN, latencyBatch1Ms: NaN, latencyBatchedMs: NaN, batchedSize: 0 },
    params: countParams(model),
    macs: model.macs(),
  };
}

export interface KpiRunOptions {
  arch: KpiArch;
  dataDir: string;
  /** Final model directory. */
  out: string;
  epochs: number;
  hidden?: number;
  window?: number;
  /** Steps of each window the LSTM reads (the last ones; default: the whole window). */
  context?: number;
  /** How raw values become inputs (default 'file-minmax'; ignored when `data` is given). */
  inputs?: KpiInputs;
  seed: number;
  weighting?: Weighting;
  patience?: number;
  /** Weight EMA decay per step (0: off). */
  ema?: number;
  /** Random level shift per training file and epoch, in dB (0: off). */
  levelShiftDb?: number;
  residual?: boolean;
  /** Where per-epoch checkpoints go (default: out/checkpoint). Removed when the model is saved unless keepCheckpoints. */
  checkpointDir?: string;
  keepCheckpoints?: boolean;
  backend: string;
  data?: KpiDataset & { sha256: Record<string, string> };
  /** Extra files saved with the model (in the same version), from the trained model. */
  sidecars?: (model: KpiModel, manifest: KpiModelManifest) => Record<string, string>;
  onEvent?: TrainingListener<EpochLog>;
}

export interface KpiRunResult {
  manifest: KpiModelManifest;
  sizeBytes: number;
}

/** Trains one model (resuming from checkpoints), evaluates it and saves it to `out`. */
export function runKpiTraining(o: KpiRunOptions): KpiRunResult {
  const data = o.data ?? loadKpiDataset(o.dataDir, o.window, {}, o.inputs);
  const model = createKpiModel(o.arch, { hidden: o.hidden, window: data.window, context: o.context, seed: o.seed, residual: o.residual ?? KPI_RECIPE.residual });
  const checkpointDir = o.checkpointDir ?? join(o.out, 'checkpoint');
  // levelShiftDb is recorded only when on, so models trained without it keep their manifests.
  const options = { epochs: o.epochs, seed: o.seed, weighting: o.weighting ?? KPI_RECIPE.weighting, patience: o.patience ?? 0, ema: o.ema ?? 0, ...KPI_OPTIMISER, ...(o.levelShiftDb ? { levelShiftDb: o.levelShiftDb } : {}) };
  const result = trainKpi(model, data.train, data.val, { ...options, checkpointDir, onEvent: o.onEvent });
  const manifest = buildKpiManifest(model, o.arch, data, { ...result, options }, evaluateKpi(model, data.test));
  const sizeBytes = saveKpiModel(o.out, model, manifest, o.sidecars?.(model, manifest));
  if (!o.keepCheckpoints) removeCheckpoints(checkpointDir);
  disposeKpiModel(model);
  return { manifest, sizeBytes };
}
