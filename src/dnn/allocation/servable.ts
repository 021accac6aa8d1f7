/**
 * A saved allocation network loaded for serving: verified (model-io checksums), its forward
 * pass built on the inference engine asked for (predict.ts), its manifest summarised. The
 * allocation service (service.ts) answers requests with it; the server's registry holds it.
 */
import { initEngine } from '../engine.js';
import type { EngineOptions } from '../inference-engine.js';
import { summariseManifest } from '../manifest.js';
import { loadAllocationNetwork } from './model.js';
import { createAllocationPredictor } from './predict.js';
import type { AllocationServable } from './service.js';

export async function loadAllocationServable(dir: string, name: string, engine: EngineOptions = {}): Promise<AllocationServable> {
  await initEngine();
  const { net, manifest: m, weightsSha256 } = loadAllocationNetwork(dir);
  let predictor;
  try {
    predictor = await createAllocationPredictor(net, engine);
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
}
