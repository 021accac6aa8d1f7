/** The `--backend` option shared by every command that runs a network. */
import { initEngine, type BackendName } from '../dnn/engine.js';
import { UserError } from './errors.js';

/** Initialises the engine; a backend that cannot load is the user's `--backend` error. */
export async function initEngineFromOption(backend: string | undefined): Promise<BackendName> {
  try {
    return await initEngine(backend);
  } catch (err) {
    throw new UserError(`--backend: ${(err as Error).message}`);
  }
}
