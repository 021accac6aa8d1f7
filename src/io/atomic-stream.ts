/**
 * A file written piece by piece and made visible whole: pieces go to a temp file in the same
 * directory; commit fsyncs and renames it into place, abort removes it. A reader never sees a
 * half-written file under the final name (as atomic-write.ts, for outputs too long to hold in memory).
 */
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export interface AtomicFile {
  write(text: string): void;
  commit(): void;
  abort(): void;
}

export function openAtomicFile(path: string): AtomicFile {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, `.tmp-${basename(path)}-${process.pid}-${Date.now()}`);
  const fd = openSync(tmp, 'w');
  let open = true;
  const abort = () => {
    if (open) closeSync(fd);
    open = false;
    rmSync(tmp, { force: true });
  };
  return {
    write(text) {
      const bytes = Buffer.from(text, 'utf8');
      let off = 0;
      while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
    },
    commit() {
      try {
        fsyncSync(fd);
        closeSync(fd);
        open = false;
        renameSync(tmp, path);
      } catch (err) {
        abort();
        throw err;
      }
    },
    abort,
  };
}
