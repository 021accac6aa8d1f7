/**
 * A saved KPI model loaded for serving: verified (model-io checksums), its forward pass built
 * on the inference engine asked for (predict.ts), raw windows scaled with the min-max scalers
 * saved in the manifest (pooled by default) and predictions unscaled. The KPI service
 * (service.ts) answers requests with it; the server's registry holds it.
 */
import type { LoadedModel } from '../loaded-model.js';
import { DEFAULT_KPI_INPUTS, type KpiInputs } from '../../measurements/inputs.js';
import { scaleValue, unscaleValue, type MinMaxScaler } from '../../measurements/scaler.js';
import { initEngine } from '../engine.js';
import type { EngineOptions } from '../inference-engine.js';
import { summariseManifest } from '../manifest.js';
import { disposeKpiModel } from './base.js';
import { loadKpiModel } from './model.js';
import { createKpiPredictor } from './predict.js';

export interface KpiPrediction {
  rsrp: number;
  rsrq: number;
  sinr: number;
  interferenceProbability: number;
}

export interface KpiServable extends LoadedModel {
  kind: 'kpi';
  architecture: string;
  windowLength: number;
  /** Steps the model reads at the end of each window (its LSTM context); absent: all of them. */
  context?: number;
  /** Scaler names accepted by predict; the first is the default. */
  scalers: string[];
  /**
   * Per column [rsrp, rsrq, sinr], the raw values the scaler `scaler` maps to [0, 1]: the
   * range the model was trained on (absent for models without scalers).
   */
  trainedRange?(scaler: string): { min: number[]; max: number[] } | undefined;
  /** How the model turns raw values into inputs (src/measurements/inputs.ts); decides a profile's scaler. */
  inputs?: KpiInputs;
  /**
   * Predictions for raw windows [[rsrp, rsrq, sinr], ...] of windowLength steps, scaled by a
   * saved scaler (by name) or by one made from a cell's calibration profile.
   */
  predict(windows: number[][][], scaler?: string | MinMaxScaler): Promise<KpiPrediction[]> | KpiPrediction[];
}

const KPI_ORDER = ['rsrp', 'rsrq', 'sinr'] as const;

/** Name of the default scaler: all saved scalers pooled. */
export const POOLED = 'pooled';

/** A saved scaler with its columns put in [rsrp, rsrq, sinr] order (matched by name). */
export function reorderScaler(s: MinMaxScaler): MinMaxScaler {
  const idx = KPI_ORDER.map((key) => {
    const j = s.columns.findIndex((c) => c.toLowerCase() === key);
    if (j < 0) throw new Error(`scaler columns ${s.columns.join(', ')} lack ${key.toUpperCase()}`);
    return j;
  });
  return { columns: KPI_ORDER.map((k) => k.toUpperCase()), min: idx.map((j) => s.min[j]), max: idx.map((j) => s.max[j]) };
}

/**
 * The scaler for raw requests: the manifest's scalers (fitted per FccIQ file on its train
 * part) pooled into one min-max range per column, so a window from any scenario scales
 * into the range the model was trained on. Columns are matched by name (RSRP, RSRQ, SINR).
 */
export function pooledScaler(scalers: Record<string, MinMaxScaler>): MinMaxScaler {
  const list = Object.values(scalers);
  if (list.length === 0) throw new Error('the manifest holds no scalers');
  const min: number[] = [];
  const max: number[] = [];
  for (const key of KPI_ORDER) {
    let lo = Infinity;
    let hi = -Infinity;
    for (const s of list) {
      const j = s.columns.findIndex((c) => c.toLowerCase() === key);
      if (j < 0) throw new Error(`scaler columns ${s.columns.join(', ')} lack ${key.toUpperCase()}`);
      lo = Math.min(lo, s.min[j]);
      hi = Math.max(hi, s.max[j]);
    }
    if (!Number.isFinite(lo) || !Number.isFinite(hi)) throw new Error(`scaler range of ${key.toUpperCase()} is not finite`);
    min.push(lo);
    max.push(hi);
  }
  return { columns: KPI_ORDER.map((k) => k.toUpperCase()), min, max };
}

/** Loads the KPI model in `dir` for serving on the engine `engine` asks for. */
export async function loadKpiServable(dir: string, name: string, engine: EngineOptions = {}): Promise<KpiServable> {
  await initEngine();
  const { model, manifest, weightsSha256 } = loadKpiModel(dir);
  let predictor;
  try {
    predictor = await createKpiPredictor(model, engine);
  } catch (err) {
    disposeKpiModel(model);
    throw err;
  }
  const scalers = new Map<string, MinMaxScaler>([[POOLED, pooledScaler(manifest.scalers)]]);
  for (const [file, sc] of Object.entries(manifest.scalers)) scalers.set(file, reorderScaler(sc));
  const window = manifest.window;
  const predict = async (windows: number[][][], scalerOrName: string | MinMaxScaler = POOLED): Promise<KpiPrediction[]> => {
    const scaler = typeof scalerOrName === 'string' ? scalers.get(scalerOrName) : scalerOrName;
    if (!scaler) throw new Error(`unknown scaler '${String(scalerOrName)}'`);
    const x = new Float32Array(windows.length * window * 3);
    windows.forEach((w, b) => {
      w.forEach((row, t) => {
        for (let j = 0; j < 3; j++) x[(b * window + t) * 3 + j] = scaleValue(scaler, j, row[j]);
      });
    });
    const { reg, prob } = await predictor.predict(x);
    return windows.map((_, b) => ({
      rsrp: unscaleValue(scaler, 0, reg[b * 3]),
      rsrq: unscaleValue(scaler, 1, reg[b * 3 + 1]),
      sinr: unscaleValue(scaler, 2, reg[b * 3 + 2]),
      interferenceProbability: prob[b],
    }));
  };
  const pooled = scalers.get(POOLED) as MinMaxScaler;
  const { scalers: _scalers, training, test, data, ...rest } = manifest as unknown as Record<string, unknown> & {
    scalers: unknown;
    training?: Record<string, unknown>;
    test?: Record<string, unknown>;
    data?: { files?: Array<{ name: string; sha256: string }> };
  };
  return {
    kind: 'kpi',
    name,
    version: weightsSha256.slice(0, 12),
    loadedAt: new Date().toISOString(),
    engine: predictor.engine,
    architecture: manifest.arch,
    windowLength: window,
    context: manifest.config.context,
    scalers: [...scalers.keys()],
    trainedRange: (scalerName) => scalers.get(scalerName),
    inputs: manifest.inputs ?? DEFAULT_KPI_INPUTS,
    manifest: summariseManifest({
      ...rest,
      scaler: { columns: pooled.columns, min: pooled.min, max: pooled.max, note: 'the default scaler: pooled over the per-file scalers saved with the model' },
      data: data?.files?.map((f) => ({ name: f.name, sha256: f.sha256 })),
      training: training ? summariseManifest(training, 400) : undefined,
      test: test ? summariseManifest(test, 1000) : undefined,
    }),
    predict,
  };
}
