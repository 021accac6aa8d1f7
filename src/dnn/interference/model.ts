/**
 * Interference models on disk (src/dnn/model-io.ts: checksummed, versioned, atomic): the
 * bDNN weights and binary masks, the network configuration, the fixed input
 * standardisation and how the model was trained, so a loaded model answers exactly as
 * the trained one did.
 */
import { tf } from '../engine.js';
import { MODEL_KINDS, modelFamily } from '../manifest.js';
import { loadModel, ModelFileError, saveModel, type SaveModelResult } from '../model-io.js';
import type { InterferenceParams } from '../../solvers/params.js';
import { VERSION } from '../../version.js';
import type { FeatureScale } from './features.js';
import { InterferenceNetwork, type InterferenceNetworkConfig } from './network.js';
import type { InterferenceTrainOptions } from './trainer.js';

export interface InterferenceManifest {
  kind: typeof MODEL_KINDS.interference;
  toolVersion: string;
  config: InterferenceNetworkConfig;
  params: InterferenceParams;
  scale: FeatureScale;
  training: Omit<InterferenceTrainOptions, 'checkpointDir' | 'checkpointEvery' | 'onEvent' | 'params'> & { trainSeconds: number; backend: string; maskDensity?: number[] };
}

export function saveInterferenceModel(dir: string, net: InterferenceNetwork, manifest: Omit<InterferenceManifest, 'kind' | 'toolVersion' | 'config'>): SaveModelResult {
  return saveModel(dir, { weights: net.namedWeights(), manifest: { kind: MODEL_KINDS.interference, toolVersion: VERSION, config: net.config, ...manifest } });
}

export interface LoadedInterferenceModel {
  net: InterferenceNetwork;
  manifest: InterferenceManifest;
  weightsSha256: string;
}

export function loadInterferenceModel(dir: string): LoadedInterferenceModel {
  const loaded = loadModel<InterferenceManifest>(dir);
  if (modelFamily(loaded.manifest) !== 'interference') {
    tf.dispose(Object.values(loaded.weights));
    throw new ModelFileError(`${dir}: not an interference model (manifest kind '${String((loaded.manifest as { kind?: unknown } | null)?.kind)}', expected '${MODEL_KINDS.interference}').`);
  }
  const net = new InterferenceNetwork(loaded.manifest.config, 0);
  net.setWeights(loaded.weights);
  tf.dispose(Object.values(loaded.weights));
  return { net, manifest: { ...loaded.manifest, kind: MODEL_KINDS.interference }, weightsSha256: loaded.weightsSha256 };
}
