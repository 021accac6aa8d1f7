/**
 * How CLI commands report bad input: they throw InputError (src/input-error.ts) naming
 * the option; main.ts prints it as one line and exits 2.
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InputError } from '../input-error.js';

/**
 * Runs `read` (sync or async); bad input it reports is shown under the CLI `option` that
 * named its source, e.g. `--model: <dir>: not a KPI model`. Any other error is a bug and passes.
 */
export function underOption<T>(option: string, read: () => T): T {
  const relabel = (err: unknown): never => {
    throw err instanceof InputError ? err.under(option) : err;
  };
  try {
    const result = read();
    return (result instanceof Promise ? result.catch(relabel) : result) as T;
  } catch (err) {
    return relabel(err);
  }
}

/** OS errors that come from where the user asked us to write (not from a bug), and what they mean. */
const WRITE_ERROR_CAUSES: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'read-only file system',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOTDIR: 'a file stands where a directory is needed',
  EEXIST: 'a file stands where a directory is needed',
  EISDIR: 'it is a directory',
  ENAMETOOLONG: 'the name is too long',
};

/** Options that name one result file (not a folder the command lays out, such as --out). */
const FILE_OPTIONS = ['--output'];

/**
 * Runs `write`; an OS write error becomes an InputError naming `option` and `path`. The
 * artefact saved before stays as it was: every writer replaces files atomically.
 */
export function writingTo<T>(option: string, path: string, write: () => T): T {
  // A result file goes into a folder the user has: a typo must not create a tree of folders.
  if (FILE_OPTIONS.includes(option) && !existsSync(dirname(resolve(path)))) {
    throw new InputError(option, `cannot write '${path}': the folder ${dirname(resolve(path))} does not exist (create it first)`);
  }
  try {
    return write();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== undefined && code in WRITE_ERROR_CAUSES) {
      throw new InputError(option, `cannot write '${path}': ${WRITE_ERROR_CAUSES[code]} (${code}); nothing saved there before was changed`);
    }
    throw err;
  }
}
