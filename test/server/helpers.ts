/** Test fixtures for the HTTP API: fake model families saved with the real model-io (real checksums). */
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { writeFileSync } from 'node:fs';
import type { Express } from 'express';
import { initEngine, tf } from '../../src/dnn/engine.js';
import { loadModelArrays, modelFilePath, saveModel } from '../../src/dnn/model-io.js';
import { createApp, createContext, loadModels } from '../../src/server/app.js';
import type { AppConfig, AppContext } from '../../src/server/context.js';
import { createLogger } from '../../src/server/logger.js';
import { makeTempDir } from '../helpers/tmp.js';
import { createMetrics } from '../../src/server/metrics.js';
import { summariseManifest } from '../../src/dnn/manifest.js';
import { type AllocationServable, type KpiServable, type ModelLoader } from '../../src/server/registry.js';
import type { Problem } from '../../src/solvers/params.js';
import { loadSpec } from '../../src/server/spec.js';

export const FAKE_ALLOCATION_KIND = 'test-allocation';
export const FAKE_KPI_KIND = 'test-kpi';

/** Counts forward passes of the fake allocation model (batching tests). */
export const calls: { allocate: number[]; predict: number[] } = { allocate: [], predict: [] };

/**
 * A fake allocation model: powers proportional to a learned scale times the gain's share,
 * i.e. fdma-delay P = Ptot * g / sum g, sum-capacity P = min(1, w * g). Gains >= 1e6 give
 * NaN (to test non-finite outputs).
 */
export const fakeAllocationLoader: ModelLoader = {
  kind: 'allocation',
  accepts: (m) => m.kind === FAKE_ALLOCATION_KIND,
  load(dir, name): AllocationServable {
    const { arrays, manifest, weightsSha256 } = loadModelArrays<{ tasks: Array<{ problem: Problem; n: number }>; scheme: string }>(dir);
    const w = arrays.scale.values[0];
    return {
      kind: 'allocation',
      name,
      version: weightsSha256.slice(0, 12),
      loadedAt: new Date().toISOString(),
      scheme: manifest.scheme,
      tasks: manifest.tasks,
      manifest: summariseManifest(manifest as unknown as Record<string, unknown>),
      allocate: async (problem, gains) => {
        calls.allocate.push(gains.length);
        await new Promise((r) => setImmediate(r));
        return gains.map((g) => {
          if (g.some((x) => x >= 1e6)) return g.map(() => NaN);
          const s = g.reduce((a, b) => a + b, 0);
          return problem === 'fdma-delay' ? g.map((x) => (10 * x) / s) : g.map((x) => Math.min(1, w * x));
        });
      },
    };
  },
};

/** A fake KPI model: next step = last step + bias; probability from the SINR drop. */
export const fakeKpiLoader: ModelLoader = {
  kind: 'kpi',
  accepts: (m) => m.kind === FAKE_KPI_KIND,
  load(dir, name): KpiServable {
    const { arrays, manifest, weightsSha256 } = loadModelArrays<{ window: number; arch: string }>(dir);
    const bias = Array.from(arrays.bias.values);
    return {
      kind: 'kpi',
      name,
      version: weightsSha256.slice(0, 12),
      loadedAt: new Date().toISOString(),
      architecture: manifest.arch,
      windowLength: manifest.window,
      scalers: ['pooled', 'other'],
      manifest: summariseManifest(manifest as unknown as Record<string, unknown>),
      predict: (windows, scaler) => {
        calls.predict.push(windows.length);
        const shift = scaler === 'other' ? 100 : 0;
        return windows.map((w) => {
          const last = w[w.length - 1];
          const drop = w[0][2] - last[2];
          return { rsrp: last[0] + bias[0] + shift, rsrq: last[1] + bias[1], sinr: last[2] + bias[2], interferenceProbability: 1 / (1 + Math.exp(-drop)) };
        });
      },
    };
  },
};

export const FAKE_LOADERS = [fakeAllocationLoader, fakeKpiLoader];

export async function saveFakeAllocationModel(dir: string, opts: { scheme?: string; sizes?: number[] } = {}): Promise<void> {
  await initEngine();
  const sizes = opts.sizes ?? [5, 8];
  const tasks = (['fdma-delay', 'sum-capacity'] as const).flatMap((problem) => sizes.map((n) => ({ problem, n })));
  saveModel(dir, {
    weights: { scale: tf.tensor1d([0.5]) },
    manifest: { kind: FAKE_ALLOCATION_KIND, scheme: opts.scheme ?? 'routed', tasks, seed: 1, command: 'test', curve: Array.from({ length: 3000 }, (_, i) => i) },
  });
}

export async function saveFakeKpiModel(dir: string, window = 4): Promise<void> {
  await initEngine();
  saveModel(dir, { weights: { bias: tf.tensor1d([0.5, -0.25, 1]) }, manifest: { kind: FAKE_KPI_KIND, arch: 'fake', window, seed: 2 } });
}

/** Flips one byte of weights.bin (the checksum no longer matches). */
export function corruptWeights(dir: string): void {
  writeFileSync(modelFilePath(dir, 'weights.bin'), Buffer.from([1, 2, 3, 4]));
}

/** A logger whose JSON lines are collected in `lines`. */
export function captureLogger(level: 'info' | 'debug' | 'warn' = 'info') {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const l of chunk.toString('utf8').split('\n')) if (l.trim()) lines.push(JSON.parse(l) as Record<string, unknown>);
      cb();
    },
  });
  return { logger: createLogger(level, stream), lines };
}

export interface TestApp {
  app: Express;
  ctx: AppContext;
  lines: Array<Record<string, unknown>>;
}

/** App over `modelsDir` with the fake loaders; models loaded unless `load` is false. */
export async function makeApp(modelsDir: string | null, config: Partial<AppConfig> = {}, load = true, loaders: ModelLoader[] = FAKE_LOADERS): Promise<TestApp> {
  const { logger, lines } = captureLogger();
  const ctx = createContext({ config: { precomputeLambdas: false, ...config }, loaders, logger, metrics: createMetrics({ defaultMetrics: false }) });
  const app = createApp(ctx);
  if (load) await loadModels(ctx, modelsDir);
  return { app, ctx, lines };
}

/** Asserts `body` matches the response schema of openapi.yaml for (operation, status). */
export function expectMatchesContract(operationId: string, status: number, body: unknown): void {
  const validate = loadSpec().response.get(`${operationId} ${status}`);
  if (!validate) throw new Error(`openapi.yaml declares no JSON response ${status} for ${operationId}`);
  const ok = validate(body);
  if (!ok) throw new Error(`${operationId} ${status} response does not match openapi.yaml: ${JSON.stringify(validate.errors)}\n${JSON.stringify(body)}`);
}

/**
 * Registers beforeAll/afterAll hooks that build an app over a temporary models folder holding a
 * fake allocation model (N = 5, 8, 30) and a fake KPI model (window 4); returns getters of the
 * app and of the folder (for tests that build another app over the same models).
 */
export function useFakeModelsApp(): { app: () => TestApp; dir: () => string } {
  let tmp: ReturnType<typeof makeTempDir>;
  let t: TestApp;
  beforeAll(async () => {
    tmp = makeTempDir();
    await saveFakeAllocationModel(join(tmp.dir, 'alloc'), { sizes: [5, 8, 30] });
    await saveFakeKpiModel(join(tmp.dir, 'kpi'), 4);
    t = await makeApp(tmp.dir);
  });
  afterAll(() => tmp.cleanup());
  return { app: () => t, dir: () => tmp.dir };
}
