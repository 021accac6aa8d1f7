/**
 * Saved KPI models: the manifest (header shared with every family, src/dnn/manifest.ts),
 * save and load. A model directory holds the weights by parameter name, the per-file input
 * scalers, the training history and the test evaluation. Models saved by older radio-mtl
 * versions (kind 'kpi-model', tool version as 'version') load unchanged.
 */
import { tf } from '../engine.js';
import { currentManifest, modelFamily, MODEL_KINDS, type ManifestHeader } from '../manifest.js';
import { loadModel, saveModel, ModelFileError } from '../model-io.js';
import type { FileSummary, KpiDataset } from '../../datasets/kpi/fcciq.js';
import type { KpiInputs } from '../../measurements/inputs.js';
import type { MinMaxScaler } from '../../measurements/scaler.js';
import { VERSION } from '../../version.js';
import { disposeKpiModel, type KpiModel, type KpiModelConfig } from './base.js';
import { ENSEMBLE_ARCH, KpiEnsemble } from './ensemble.js';
import type { KpiTestMetrics } from './metrics.js';
import { createKpiModel, type KpiArch } from './registry.js';
import type { EpochLog, KpiTrainResult } from './trainer.js';

export const KPI_MODEL_KIND = MODEL_KINDS.kpi;

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

/** One member of an ensemble as its manifest records it (src/dnn/kpi/ensemble.ts). */
export interface KpiMemberRecord {
  arch: KpiArch;
  config: KpiModelConfig;
  training: KpiModelManifest['training'];
  /** The member's own test metrics (beside the ensemble's). */
  test?: KpiTestMetrics;
}

export interface KpiModelManifest extends ManifestHeader<'kpi'> {
  /** The architecture, or 'ensemble' for a model averaging `members`. */
  arch: KpiArch | typeof ENSEMBLE_ARCH;
  config: KpiModelConfig;
  window: number;
  /** How raw values become inputs (src/measurements/inputs.ts); absent in older models: 'file-minmax'. */
  inputs?: KpiInputs;
  /** Per-CSV input scalers fitted on each file's train part (min = offset, max = offset + scale). */
  scalers: Record<string, MinMaxScaler>;
  data: { files: Array<{ name: string; sha256: string; rowsRead: number; dropped: number; windows: FileSummary['windows'] }> };
  training: Omit<KpiTrainResult, 'history'> & { history: EpochLog[]; options: Record<string, unknown> };
  test: KpiEvaluation;
  /** Ensembles only: the members, in the order of their weights (member<i>/...). */
  members?: KpiMemberRecord[];
  /** Models fine-tuned on one cell's labelled rows (`train kpi --from`); `test` is still the source model's. */
  adaptation?: KpiAdaptationRecord;
}

/** How a model was adapted to a cell (src/dnn/kpi/adapt.ts). */
export interface KpiAdaptationRecord {
  from: { model: string; weightsSha256: string };
  data: { files: Array<{ name: string; sha256: string; rows: number }> };
  /** The scaler the cell's rows were scaled with: the model's serving default (its pooled scaler). */
  scaler: 'pooled';
  valFraction: number;
  options: { epochs: number; patience: number; lr: number; seed: number };
  /** Validation tail, whole model: loss and accuracy before and after. */
  before: { loss: number; accuracy: number };
  after: { loss: number; accuracy: number };
  members: Array<{ epochsRun: number; bestEpoch: number; bestValLoss: number; trainSeconds: number }>;
  trainSeconds: number;
}

/** The manifest of `model`, trained on `data` and evaluated as `test`. */
export function buildKpiManifest(
  model: KpiModel,
  arch: KpiModelManifest['arch'],
  data: KpiDataset & { sha256: Record<string, string> },
  training: KpiModelManifest['training'],
  test: KpiEvaluation,
): KpiModelManifest {
  return {
    kind: KPI_MODEL_KIND,
    arch,
    config: model.config,
    window: data.window,
    inputs: data.inputs,
    scalers: Object.fromEntries(data.files.map((f) => [f.name, f.scaler])),
    data: { files: data.files.map((f) => ({ name: f.name, sha256: data.sha256[f.name], rowsRead: f.rowsRead, dropped: f.dropped, windows: f.windows })) },
    training,
    test,
    backend: tf.getBackend(),
    toolVersion: VERSION,
    createdAt: new Date().toISOString(),
  };
}

/** Saves weights (by parameter name), manifest and sidecars in one version; returns the size on disk in bytes. */
export function saveKpiModel(dir: string, model: KpiModel, manifest: KpiModelManifest, sidecars?: Record<string, string>): number {
  return saveModel(dir, { weights: { ...model.params.vars }, manifest, sidecars }).bytesOnDisk;
}

/** Loads a model saved by saveKpiModel (checksums verified by model-io), its manifest in today's spelling. */
export function loadKpiModel(dir: string): { model: KpiModel; manifest: KpiModelManifest; weightsSha256: string } {
  const loaded = loadModel<KpiModelManifest>(dir);
  if (modelFamily(loaded.manifest) !== 'kpi') {
    for (const w of Object.values(loaded.weights)) w.dispose();
    throw new ModelFileError(`${dir}: not a KPI model (manifest kind '${String(loaded.manifest?.kind)}').`);
  }
  const mf = currentManifest(loaded.manifest);
  let model: KpiModel;
  try {
    model = mf.members ? new KpiEnsemble(mf.members.map((m) => createKpiModel(m.arch, m.config))) : createKpiModel(mf.arch, mf.config);
  } catch (err) {
    tf.dispose(Object.values(loaded.weights));
    throw new ModelFileError(`${dir}: the manifest does not describe a model (${(err as Error).message}).`);
  }
  try {
    for (const [name, v] of Object.entries(model.params.vars)) {
      const w = loaded.weights[name];
      if (!w) throw new ModelFileError(`${dir}: weight '${name}' is missing.`);
      if (w.shape.join('x') !== v.shape.join('x')) throw new ModelFileError(`${dir}: weight '${name}' has shape ${w.shape.join('x')}, expected ${v.shape.join('x')}.`);
      v.assign(w);
    }
  } catch (err) {
    disposeKpiModel(model);
    throw err;
  } finally {
    tf.dispose(Object.values(loaded.weights));
  }
  return { model, manifest: mf, weightsSha256: loaded.weightsSha256 };
}
