/**
 * One KPI training run end to end (used by `radio-mtl train kpi`, `evaluate kpi` and
 * scripts/reproduce-kpi.ts): load the FccIQ CSVs, train with checkpoints, evaluate
 * the test split (metrics.ts) with timings, save the model with its scalers and
 * manifest (src/dnn/model-io.ts).
 */
import { join } from 'node:path';
import { tf } from '../engine.js';
import { loadModel, ModelFileError, saveModel } from '../model-io.js';
import { loadKpiDataset, type FileSummary, type KpiDataset } from '../../datasets/fcciq.js';
import type { KpiInputs } from '../../datasets/kpi-inputs.js';
import type { MinMaxScaler } from '../../datasets/scaler.js';
import type { WindowSet } from '../../datasets/windows.js';
import { VERSION } from '../../version.js';
import { countParams, type KpiModel, type KpiModelConfig } from './base.js';
import { makeBatch, range } from './data.js';
import { testMetrics, type KpiTestMetrics } from './metrics.js';
import { createKpiModel, type KpiArch } from './registry.js';
import { predictKpi, removeCheckpoints, trainKpi, type EpochLog, type KpiTrainResult } from './trainer.js';
import type { Weighting } from './weighting.js';
import { median } from '../../median.js';
import { KPI_BATCH_SIZE } from './recipe.js';

export const KPI_MODEL_KIND = 'kpi-model';

export interface KpiTimings {
  /** Wall seconds to predict the whole test split (batch 512). */
  testSeconds: number;
  /** Median wall ms of one forward pass at batch 1. */
  latencyBatch1Ms: number;
  /** Wall ms per sample of a forward pass at batch `batchedSize`. */
  latencyBatchedMs: number;
  batchedSize: number;
}

export interface KpiEvaluation {
  metrics: KpiTestMetrics;
  timings: KpiTimings;
  params: number;
  macs: number;
}

export interface KpiModelManifest {
  kind: typeof KPI_MODEL_KIND;
  arch: KpiArch;
  config: KpiModelConfig;
  window: number;
  /** How raw values become inputs (src/datasets/kpi-inputs.ts); absent in older models: 'file-minmax'. */
  inputs?: KpiInputs;
  /** Per-CSV input scalers fitted on each file's train part (min = offset, max = offset + scale). */
  scalers: Record<string, MinMaxScaler>;
  data: { files: Array<{ name: string; sha256: string; rowsRead: number; dropped: number; windows: FileSummary['windows'] }> };
  training: Omit<KpiTrainResult, 'history'> & { history: EpochLog[]; options: Record<string, unknown> };
  test: KpiEvaluation;
  backend: string;
  version: string;
  createdAt: string;
}

/** Saves weights (by parameter name), manifest and sidecars in one version; returns the size on disk in bytes. */
export function saveKpiModel(dir: string, model: KpiModel, manifest: KpiModelManifest, sidecars?: Record<string, string>): number {
  return saveModel(dir, { weights: { ...model.params.vars }, manifest, sidecars }).bytesOnDisk;
}

/** Loads a model saved by saveKpiModel (checksums verified by model-io). */
export function loadKpiModel(dir: string): { model: KpiModel; manifest: KpiModelManifest } {
  const loaded = loadModel<KpiModelManifest>(dir);
  const mf = loaded.manifest;
  if (mf.kind !== KPI_MODEL_KIND) throw new ModelFileError(`${dir}: not a KPI model (manifest kind '${String(mf.kind)}').`);
  const model = createKpiModel(mf.arch, mf.config);
  for (const [name, v] of Object.entries(model.params.vars)) {
    const w = loaded.weights[name];
    if (!w) throw new ModelFileError(`${dir}: weight '${name}' is missing.`);
    if (w.shape.join('x') !== v.shape.join('x')) throw new ModelFileError(`${dir}: weight '${name}' has shape ${w.shape.join('x')}, expected ${v.shape.join('x')}.`);
    v.assign(w);
  }
  for (const w of Object.values(loaded.weights)) w.dispose();
  return { model, manifest: mf };
}

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
  residual?: boolean;
  /** Where per-epoch checkpoints go (default: out/checkpoint). Removed when the model is saved unless keepCheckpoints. */
  checkpointDir?: string;
  keepCheckpoints?: boolean;
  backend: string;
  data?: KpiDataset & { sha256: Record<string, string> };
  /** Extra files saved with the model (in the same version), from the trained model. */
  sidecars?: (model: KpiModel, manifest: KpiModelManifest) => Record<string, string>;
  onEpoch?: (log: EpochLog) => void;
  onStep?: (step: number, steps: number, loss: number) => void;
}

export interface KpiRunResult {
  manifest: KpiModelManifest;
  sizeBytes: number;
}

/** Trains one model (resuming from checkpoints), evaluates it and saves it to `out`. */
export function runKpiTraining(o: KpiRunOptions): KpiRunResult {
  const data = o.data ?? loadKpiDataset(o.dataDir, o.window, {}, o.inputs);
  const model = createKpiModel(o.arch, { hidden: o.hidden, window: data.window, context: o.context, seed: o.seed, residual: o.residual ?? true });
  const checkpointDir = o.checkpointDir ?? join(o.out, 'checkpoint');
  const options = { epochs: o.epochs, seed: o.seed, weighting: o.weighting ?? 'equal', patience: o.patience ?? 0, ema: o.ema ?? 0, batchSize: KPI_BATCH_SIZE, lr: 1e-3, weightDecay: 1e-5 };
  const result = trainKpi(model, data.train, data.val, { ...options, checkpointDir, onEpoch: o.onEpoch, onStep: o.onStep });
  const test = evaluateKpi(model, data.test);
  const manifest: KpiModelManifest = {
    kind: KPI_MODEL_KIND,
    arch: o.arch,
    config: model.config,
    window: data.window,
    inputs: data.inputs,
    scalers: Object.fromEntries(data.files.map((f) => [f.name, f.scaler])),
    data: { files: data.files.map((f) => ({ name: f.name, sha256: data.sha256[f.name], rowsRead: f.rowsRead, dropped: f.dropped, windows: f.windows })) },
    training: { ...result, options },
    test,
    backend: tf.getBackend(),
    version: VERSION,
    createdAt: new Date().toISOString(),
  };
  const sizeBytes = saveKpiModel(o.out, model, manifest, o.sidecars?.(model, manifest));
  if (!o.keepCheckpoints) removeCheckpoints(checkpointDir);
  for (const v of Object.values(model.params.vars)) v.dispose();
  return { manifest, sizeBytes };
}
