/**
 * The models shipped in the package's models/ folder, found by name from any working directory:
 * `openModel('allocation-routed')` opens the shipped one, `openModel('./allocation-routed')` or
 * any other path a directory of the caller's.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

/** The package's models/ folder (beside dist/ when installed, beside src/ in a clone). */
export const SHIPPED_MODELS_DIR = fileURLToPath(new URL('../models', import.meta.url));

/** `nameOrDir` as a directory: a bare name of a shipped model is that model's folder; anything else is left as given. */
export function resolveModelDir(nameOrDir: string): string {
  const bare = /^[A-Za-z0-9][\w.-]*$/.test(nameOrDir);
  const shipped = join(SHIPPED_MODELS_DIR, nameOrDir);
  return bare && existsSync(shipped) ? shipped : nameOrDir;
}
