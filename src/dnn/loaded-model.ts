import type { InferenceEngine } from './inference-engine.js';

/** What every loaded model (allocation, interference, KPI) tells the services and the server's registry. */
export interface LoadedModel {
  /** Directory name. */
  name: string;
  /** First 12 hex digits of the weights' sha256. */
  version: string;
  loadedAt: string;
  /** Small summary of the training manifest (command, seed, data hash, metrics, ...). */
  manifest: Record<string, unknown>;
  engine?: InferenceEngine;
}
