/**
 * The model families this server knows, by manifest kind, each loaded by its family
 * (src/dnn/kpi/servable.ts, src/dnn/allocation/servable.ts) on the inference engine asked
 * for (ONNX Runtime or tfjs, src/dnn/inference-engine.ts). Each model directory is read and
 * checksummed once.
 */
import type { EngineOptions } from '../dnn/inference-engine.js';
import { loadKpiServable } from '../dnn/kpi/servable.js';
import { modelFamily } from '../dnn/manifest.js';
import { loadAllocationServable } from '../dnn/allocation/servable.js';
import { loadInterferenceServable } from '../dnn/interference/servable.js';
import type { ModelLoader } from './registry.js';

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

/** LSTM KPI models (manifest kind 'radio-mtl/kpi', or 'kpi-model' before). */
export function makeKpiLoader(opts: LoaderOptions = {}): ModelLoader {
  return {
    kind: 'kpi',
    accepts: (manifest) => modelFamily(manifest) === 'kpi',
    load: (dir, name) => loadKpiServable(dir, name, engineFor(opts, name)),
  };
}

/** Routed multi-task allocation models (and the baseline schemes), manifest kind 'radio-mtl/allocation'. */
export function makeAllocationLoader(opts: LoaderOptions = {}): ModelLoader {
  return {
    kind: 'allocation',
    accepts: (manifest) => modelFamily(manifest) === 'allocation',
    load: (dir, name) => loadAllocationServable(dir, name, engineFor(opts, name)),
  };
}

/** Power control in the K-user interference channel (issue 23), manifest kind 'radio-mtl/interference'. */
export function makeInterferenceLoader(opts: LoaderOptions = {}): ModelLoader {
  return {
    kind: 'interference',
    accepts: (manifest) => modelFamily(manifest) === 'interference',
    load: (dir, name) => loadInterferenceServable(dir, name, engineFor(opts, name)),
  };
}

/** The loaders `radio-mtl serve` uses. */
export async function defaultLoaders(logger?: LoaderOptions['logger'], engine?: EngineOptions): Promise<ModelLoader[]> {
  return [makeAllocationLoader({ logger, engine }), makeInterferenceLoader({ logger, engine }), makeKpiLoader({ logger, engine })];
}
