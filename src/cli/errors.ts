/** An error caused by the user's input: printed as one line, exit code 2, no stack trace. */
export class UserError extends Error {
  override name = 'UserError';
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

/**
 * Runs `write`; an OS write error becomes a UserError naming `option` and `path`. The
 * artefact saved before stays as it was: every writer replaces files atomically.
 */
export function writingTo<T>(option: string, path: string, write: () => T): T {
  try {
    return write();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== undefined && code in WRITE_ERROR_CAUSES) {
      throw new UserError(`${option}: cannot write '${path}': ${WRITE_ERROR_CAUSES[code]} (${code}); nothing saved there before was changed`);
    }
    throw err;
  }
}
