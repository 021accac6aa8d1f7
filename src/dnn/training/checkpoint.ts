/**
 * Checkpoint slots: the whole state of a training run (weights, optimiser moments, random
 * stream, counters, history), saved in the model format (checksummed, each save replacing
 * the last in one atomic step) so that a killed run leaves its last complete save, and a
 * new run given the same folder continues from it. A corrupted save is refused, never
 * silently restarted.
 */
import { rmdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { tf } from '../engine.js';
import { loadModel, modelExists, ModelFileError, saveModel } from '../model-io.js';
import type { WeightValues } from './weights.js';

/** The slot folder inside a run's checkpoint folder. */
const SLOT = 'latest';

export interface Checkpoint<S> {
  state: S;
  weights: WeightValues;
  /** The shape of each weight. */
  shapes: Record<string, number[]>;
}

export class CheckpointSlot<S extends object> {
  readonly path: string;

  /** `kind` tells one trainer's checkpoints from another's ('kpi-checkpoint', ...). */
  constructor(
    readonly dir: string,
    private readonly kind: string,
  ) {
    this.path = join(dir, SLOT);
  }

  /** The saved state, or undefined when the run has none. Throws ModelFileError for a bad one. */
  load(): Checkpoint<S> | undefined {
    if (!modelExists(this.path)) return undefined;
    let loaded;
    try {
      loaded = loadModel<S & { kind: string }>(this.path);
    } catch (err) {
      if (err instanceof ModelFileError) throw new ModelFileError(`checkpoint refused (delete ${this.path} to start the run over): ${err.message}`);
      throw err;
    }
    const weights: WeightValues = {};
    const shapes: Record<string, number[]> = {};
    for (const [k, t] of Object.entries(loaded.weights)) {
      weights[k] = t.dataSync() as Float32Array;
      shapes[k] = t.shape;
      t.dispose();
    }
    const { kind, ...state } = loaded.manifest;
    if (kind !== this.kind) throw new ModelFileError(`${this.path}: not a checkpoint of this trainer (kind '${String(kind)}', expected '${this.kind}').`);
    return { state: state as unknown as S, weights, shapes };
  }

  /** Saves `state` and `weights`, replacing the previous save atomically. */
  save(state: S, weights: Record<string, tf.Tensor>): void {
    saveModel(this.path, { weights, manifest: { kind: this.kind, ...state } });
  }
}

/** Deletes a run's checkpoints (once its final model is saved elsewhere), and the folder when left empty. */
export function removeCheckpoints(dir: string): void {
  rmSync(join(dir, SLOT), { recursive: true, force: true });
  try {
    rmdirSync(dir);
  } catch {
    // Not empty (other files) or already gone: leave it.
  }
}
