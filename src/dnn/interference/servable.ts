/**
 * A saved interference network loaded for serving: verified (model-io checksums), its
 * forward pass built on the inference engine asked for (predict.ts), its manifest
 * summarised. The interference service (service.ts) answers requests with it; the server's
 * registry and `openModel` hold it.
 */
import { initEngine } from '../engine.js';
import type { EngineOptions } from '../inference-engine.js';
import { summariseManifest } from '../manifest.js';
import { loadInterferenceModel } from './model.js';
import { createInterferencePredictor } from './predict.js';
import type { InterferenceServable } from './service.js';

export async function loadInterferenceServable(dir: string, name: string, engine: EngineOptions = {}): Promise<InterferenceServable> {
  await initEngine();
  const { net, manifest: m, weightsSha256 } = loadInterferenceModel(dir);
  let predictor;
  try {
    predictor = await createInterferencePredictor(net, m.scale, engine);
  } catch (err) {
    net.dispose();
    throw err;
  }
  return {
    kind: 'interference',
    name,
    version: weightsSha256.slice(0, 12),
    loadedAt: new Date().toISOString(),
    engine: predictor.engine,
    scheme: m.config.scheme,
    sizes: [...m.config.sizes].sort((a, b) => a - b),
    params: m.params,
    manifest: summariseManifest(m as unknown as Record<string, unknown>, 12_000),
    allocate: (gains, count, k) => predictor.predict(gains, count, k),
  };
}
