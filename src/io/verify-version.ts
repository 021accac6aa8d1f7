/**
 * Checks every file a versioned directory's current.json lists (versioned-dir.ts), not only
 * those a loader goes on to read, without blocking the event loop: a server reads its models
 * while it already answers liveness. Files are opened non-blocking and must be regular files
 * (opening a FIFO for reading would wait for a writer forever, and a thread blocked so keeps
 * the process from exiting); reads run on libuv's thread pool and the whole check has a
 * deadline, so a hung mount ends in an error, not a hang.
 */
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { parsePointer, POINTER_FILE, versionFilePath, VersionedDirError, type VersionPointer } from './versioned-dir.js';

const CHUNK_BYTES = 1 << 20;

/** Streams a regular file through `onChunk`; refuses anything else (FIFO, device, directory). */
async function readRegularFile(path: string, onChunk: (chunk: Uint8Array) => void): Promise<void> {
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new VersionedDirError(code === 'ENOENT' ? `${path} is missing; the version is incomplete.` : `${path}: cannot be opened (${code ?? String(err)}).`);
  }
  try {
    if (!(await handle.stat()).isFile()) throw new VersionedDirError(`${path}: not a regular file (a FIFO, device or directory cannot be a model file).`);
    const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, CHUNK_BYTES, null);
      if (bytesRead === 0) return;
      onChunk(buffer.subarray(0, bytesRead));
    }
  } finally {
    await handle.close();
  }
}

/** Reads one listed file and compares its length and sha256 with the pointer's record. */
async function verifyFile(dir: string, pointer: VersionPointer, name: string): Promise<void> {
  const path = versionFilePath(dir, pointer, name);
  const entry = pointer.files[name];
  const hash = createHash('sha256');
  let bytes = 0;
  await readRegularFile(path, (chunk) => {
    bytes += chunk.byteLength;
    hash.update(chunk);
  });
  if (bytes !== entry.bytes) throw new VersionedDirError(`${path}: has ${bytes} bytes but ${POINTER_FILE} records ${entry.bytes}; the file is truncated or was replaced.`);
  const actual = hash.digest('hex');
  if (actual !== entry.sha256) {
    throw new VersionedDirError(`${path}: sha256 ${actual.slice(0, 12)}... does not match ${POINTER_FILE} (${entry.sha256.slice(0, 12)}...); the file is corrupted or was edited.`);
  }
}

async function verifyAll(dir: string): Promise<VersionPointer> {
  const path = join(dir, POINTER_FILE);
  const chunks: Uint8Array[] = [];
  await readRegularFile(path, (chunk) => chunks.push(Buffer.from(chunk)));
  const pointer = parsePointer(path, Buffer.concat(chunks).toString('utf8'));
  for (const name of Object.keys(pointer.files)) await verifyFile(dir, pointer, name);
  return pointer;
}

/**
 * Verifies current.json and every file of the version it names (length and sha256). Throws
 * VersionedDirError naming the file and the rule, or when the check takes over `timeoutMs`.
 */
export async function verifyCurrentVersion(dir: string, timeoutMs: number): Promise<VersionPointer> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new VersionedDirError(`${dir}: reading the model's files did not finish within ${timeoutMs} ms (a hung mount?).`)), timeoutMs);
  });
  try {
    return await Promise.race([verifyAll(dir), deadline]);
  } finally {
    clearTimeout(timer);
  }
}
