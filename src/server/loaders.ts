/**
 * The model families this server knows, each adapted to the registry's Servable interface
 * and run through its family's inference interface (ONNX Runtime or tfjs, see
 * src/dnn/inference-engine.ts):
 *  - kpi: LSTM multi-task models saved by src/dnn/kpi/model.ts (manifest kind 'radio-mtl/kpi'),
 *    raw windows scaled with the min-max scalers saved in the manifest;
 *  - allocation: routed multi-task DNN (src/dnn/allocation), see makeAllocationLoader.
 * Each model directory is read and checksummed once.
 */
import { DEFAULT_KPI_INPUTS } from '../datasets/kpi-inputs.js';
import { scaleValue, unscaleValue, type MinMaxScaler } from '../datasets/scaler.js';
import { initEngine } from '../dnn/engine.js';
import type { EngineOptions } from '../dnn/inference-engine.js';
import { disposeKpiModel } from '../dnn/kpi/base.js';
import { createKpiPredictor } from '../dnn/kpi/predict.js';
import { loadKpiModel } from '../dnn/kpi/model.js';
import { modelFamily } from '../dnn/manifest.js';
import { createAllocationPredictor } from '../dnn/allocation/predict.js';
import { loadAllocationNetwork } from '../dnn/allocation/model.js';
import { summariseManifest, type AllocationServable, type KpiPrediction, type KpiServable, type ModelLoader } from './registry.js';

export interface LoaderOptions {
  /** Engine choice and ONNX Runtime settings (default: auto). */
  engine?: EngineOptions;
  /** Told when a model falls back from ONNX Runtime to tfjs, and why. */
  logger?: { warn(obj: object, msg: string): void };
}

/** The engine options of one model: a fallback is logged naming it. */
function engineFor(opts: LoaderOptions, name: string): EngineOptions {
  return { ...opts.engine, onFallback: (reason) => opts.logger?.warn({ model: name, reason }, `${name}: ${reason}`) };
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

/** LSTM KPI models (manifest kind 'radio-mtl/kpi', or 'kpi-model' before). */
export function makeKpiLoader(opts: LoaderOptions = {}): ModelLoader {
  return {
    kind: 'kpi',
    accepts: (manifest) => modelFamily(manifest) === 'kpi',
    async load(dir, name): Promise<KpiServable> {
      await initEngine();
      const { model, manifest, weightsSha256 } = loadKpiModel(dir);
      let predictor;
      try {
        predictor = await createKpiPredictor(model, engineFor(opts, name));
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
    },
  };
}

/**
 * Routed multi-task allocation models (and the baseline schemes) saved by
 * src/dnn/allocation/model.ts (manifest kind 'radio-mtl/allocation').
 */
export function makeAllocationLoader(opts: LoaderOptions = {}): ModelLoader {
  return {
    kind: 'allocation',
    accepts: (manifest) => modelFamily(manifest) === 'allocation',
    async load(dir, name): Promise<AllocationServable> {
      await initEngine();
      const { net, manifest: m, weightsSha256 } = loadAllocationNetwork(dir);
      let predictor;
      try {
        predictor = await createAllocationPredictor(net, engineFor(opts, name));
      } catch (err) {
        net.dispose();
        throw err;
      }
      return {
        kind: 'allocation',
        name,
        version: weightsSha256.slice(0, 12),
        loadedAt: new Date().toISOString(),
        engine: predictor.engine,
        scheme: m.scheme,
        tasks: m.tasks.map((t) => ({ problem: t.problem, n: t.n })),
        params: m.params,
        manifest: summariseManifest(m as unknown as Record<string, unknown>, 12_000),
        allocate: (problem, gains) => predictor.allocate(problem, gains),
      };
    },
  };
}

/** The loaders `radio-mtl serve` uses. */
export async function defaultLoaders(logger?: LoaderOptions['logger'], engine?: EngineOptions): Promise<ModelLoader[]> {
  return [makeAllocationLoader({ logger, engine }), makeKpiLoader({ logger, engine })];
}
