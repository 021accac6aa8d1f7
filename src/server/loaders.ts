/**
 * The model families this server knows, each adapted to the registry's Servable interface:
 *  - kpi: LSTM multi-task models saved by src/dnn/kpi/run.ts (manifest kind 'kpi-model'),
 *    raw windows scaled with the min-max scalers saved in the manifest;
 *  - allocation: routed multi-task DNN (src/dnn/allocation) (makeAllocationLoader).
 */
import { DEFAULT_KPI_INPUTS } from '../datasets/kpi-inputs.js';
import { buildWindows, type Segment } from '../datasets/windows.js';
import { scaleValue, unscaleValue, type MinMaxScaler } from '../datasets/scaler.js';
import { initEngine } from '../dnn/engine.js';
import { KPI_MODEL_KIND, loadKpiModel } from '../dnn/kpi/run.js';
import { predictKpi } from '../dnn/kpi/trainer.js';
import { readModelJson } from '../dnn/model-io.js';
import { ALLOCATION_MODEL_KIND, loadAllocationModel, loadAllocationNetwork } from '../dnn/allocation/model.js';
import { compileFastAllocator, verifyFastPath } from './fast-allocation.js';
import type { Problem } from '../solvers/params.js';
import { summariseManifest, type AllocationServable, type KpiPrediction, type KpiServable, type ModelLoader } from './registry.js';

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

export const kpiLoader: ModelLoader = {
  kind: 'kpi',
  accepts: (manifest) => manifest.kind === KPI_MODEL_KIND,
  async load(dir, name): Promise<KpiServable> {
    await initEngine();
    const { json } = readModelJson(dir);
    const { model, manifest } = loadKpiModel(dir);
    const scalers = new Map<string, MinMaxScaler>([[POOLED, pooledScaler(manifest.scalers)]]);
    for (const [file, sc] of Object.entries(manifest.scalers)) scalers.set(file, reorderScaler(sc));
    const window = manifest.window;
    const predict = (windows: number[][][], scalerOrName: string | MinMaxScaler = POOLED): KpiPrediction[] => {
      const scaler = typeof scalerOrName === 'string' ? scalers.get(scalerOrName) : scalerOrName;
      if (!scaler) throw new Error(`unknown scaler '${String(scalerOrName)}'`);
      const segments: Segment[] = windows.map((w) => {
        // window rows + one dummy target row (buildWindows wants the next step too).
        const values = new Float32Array((window + 1) * 3);
        w.forEach((row, t) => {
          for (let j = 0; j < 3; j++) values[t * 3 + j] = scaleValue(scaler, j, row[j]);
        });
        values.copyWithin(window * 3, (window - 1) * 3, window * 3);
        return { values, labels: new Int32Array(window + 1), range: [1, 1, 1], source: 0 };
      });
      const ws = buildWindows(segments, window, 3);
      const { reg, prob } = predictKpi(model, ws);
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
      version: json.weightsSha256.slice(0, 12),
      loadedAt: new Date().toISOString(),
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

/** Batches up to this many rows take the plain-JS path; larger ones fused tfjs (faster there). */
export const FAST_PATH_MAX_ROWS = 16;
/** Largest |fast - tfjs| power difference (W) accepted at load time. */
export const FAST_PATH_TOLERANCE_W = 1e-4;

/**
 * Routed multi-task allocation models (and the baseline schemes) saved by
 * src/dnn/allocation/model.ts (manifest kind 'radio-mtl/allocation'), served through the
 * verified fast path (fast-allocation.ts); the module's own forward pass is the reference
 * and the fallback.
 */
export function makeAllocationLoader(opts: { fastPath?: boolean; logger?: { warn(obj: object, msg: string): void } } = {}): ModelLoader {
  return {
    kind: 'allocation',
    accepts: (manifest) => manifest.kind === ALLOCATION_MODEL_KIND,
    async load(dir, name): Promise<AllocationServable> {
      const { json } = readModelJson(dir);
      const model = await loadAllocationModel(dir);
      const m = model.manifest;
      const reference = (problem: Problem, gains: number[][]) => model.allocate(problem, gains).power;
      let allocate = reference;
      let fastPath = 'off';
      if (opts.fastPath ?? true) {
        const { net } = loadAllocationNetwork(dir);
        try {
          const fast = compileFastAllocator(net, FAST_PATH_MAX_ROWS);
          const diff = verifyFastPath(fast, reference, m.tasks);
          if (diff <= FAST_PATH_TOLERANCE_W) {
            allocate = fast.allocate;
            fastPath = `on (plain JS up to ${FAST_PATH_MAX_ROWS} rows, fused tfjs above; max |diff| vs the model's forward pass ${diff.toExponential(2)} W)`;
          } else {
            fast.dispose();
            net.dispose();
            fastPath = `off (differs from tfjs by ${diff} W)`;
            opts.logger?.warn({ model: name, diff }, `fast path disabled for ${name}: it differs from the tfjs forward pass by ${diff} W`);
          }
          // `net` stays alive: the fast path uses its input builder.
        } catch (err) {
          net.dispose();
          fastPath = `off (${(err as Error).message})`;
          opts.logger?.warn({ model: name, reason: (err as Error).message }, `fast path disabled for ${name}`);
        }
      }
      return {
        kind: 'allocation',
        name,
        version: json.weightsSha256.slice(0, 12),
        loadedAt: new Date().toISOString(),
        scheme: m.scheme,
        tasks: m.tasks.map((t) => ({ problem: t.problem, n: t.n })),
        params: m.params,
        manifest: { ...summariseManifest(m as unknown as Record<string, unknown>, 12_000), servingFastPath: fastPath },
        allocate,
      };
    },
  };
}

/** The loaders `radio-mtl serve` uses. */
export async function defaultLoaders(logger?: { warn(obj: object, msg: string): void }): Promise<ModelLoader[]> {
  return [makeAllocationLoader({ logger }), kpiLoader];
}
