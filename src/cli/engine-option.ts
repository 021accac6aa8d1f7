/** The `--backend` option shared by every command that runs a network. */
import { initEngine, type BackendName } from '../dnn/engine.js';
import { underOption } from './errors.js';

/** Initialises the engine; a backend that cannot load is the user's `--backend` error. */
export function initEngineFromOption(backend: string | undefined): Promise<BackendName> {
  return underOption('--backend', () => initEngine(backend));
}
