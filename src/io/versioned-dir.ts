/**
 * Directories that switch from one complete version to the next in a single atomic step.
 *
 * Layout of such a directory DIR:
 *   DIR/current.json   the pointer: { format, formatVersion, version, files: { name: { sha256, bytes } } }
 *   DIR/v<k>/...       the files of version k (names may hold subfolders, e.g. n05/train_gains.npy)
 *
 * A writer builds the new version in a private staging folder (DIR/.staging-<pid>-<id>),
 * moves it to a fresh DIR/v<k>, then renames a new current.json into place: that last
 * rename is the only step readers can observe, so they see the old version or the new
 * one, never a mix. Readers check every file against the sha256 in the pointer, so an
 * edited, truncated or foreign file is refused. After the switch the writer deletes
 * older versions and the staging left by killed writers (whose process is gone).
 * One writer per directory at a time.
 */
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from './atomic-write.js';
import { InputError } from '../input-error.js';

export const POINTER_FILE = 'current.json';
const POINTER_FORMAT = 'radio-mtl-versioned-dir';
const POINTER_FORMAT_VERSION = 1;
const VERSION_NAME = /^v(\d+)$/;
const STAGING_NAME = /^\.staging-(\d+)-[0-9a-f]+$/;
/** Temp files of writeFileAtomic: .tmp-<name>-<pid>-<time>. */
const TEMP_POINTER_NAME = new RegExp(`^\\.tmp-${POINTER_FILE.replace('.', '\\.')}-(\\d+)-\\d+$`);

/** A missing, malformed or corrupted versioned directory. The message names the file and the rule. */
export class VersionedDirError extends InputError {
  override name = 'VersionedDirError';
}

export interface VersionFile {
  sha256: string;
  bytes: number;
}

export interface VersionPointer {
  format: typeof POINTER_FORMAT;
  formatVersion: number;
  /** Name of the version folder, e.g. "v3". */
  version: string;
  files: Record<string, VersionFile>;
}

export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** A relative file name that stays inside its version folder. */
function checkFileName(name: string): void {
  const parts = name.split('/');
  if (name.includes('\\') || parts.some((p) => p === '' || p === '.' || p === '..')) {
    throw new VersionedDirError(`'${name}' must be a relative path inside the version folder.`);
  }
}

function fsyncPath(path: string): void {
  try {
    const fd = openSync(path, 'r');
    fsyncSync(fd);
    closeSync(fd);
  } catch {
    // Some file systems refuse fsync on directories; the renames are still atomic.
  }
}

function writeDurably(path: string, bytes: Uint8Array): void {
  const fd = openSync(path, 'w');
  try {
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** True when `dir` has a pointer file (it may still be corrupted; readPointer checks). */
export function hasPointer(dir: string): boolean {
  return existsSync(join(dir, POINTER_FILE));
}

/** Reads and validates DIR/current.json. Throws VersionedDirError. */
export function readPointer(dir: string): VersionPointer {
  const path = join(dir, POINTER_FILE);
  if (!existsSync(path)) throw new VersionedDirError(`${path} is missing: no complete version in ${dir}.`);
  return parsePointer(path, readFileSync(path, 'utf8'));
}

/** Validates the text of a pointer file read from `path`. Throws VersionedDirError. */
export function parsePointer(path: string, text: string): VersionPointer {
  let p: Partial<VersionPointer>;
  try {
    p = JSON.parse(text) as Partial<VersionPointer>;
  } catch (err) {
    throw new VersionedDirError(`${path}: not valid JSON (${(err as Error).message}); the file is corrupted or was edited.`);
  }
  if (p === null || typeof p !== 'object' || p.format !== POINTER_FORMAT || p.formatVersion !== POINTER_FORMAT_VERSION) {
    throw new VersionedDirError(`${path}: 'format' must be '${POINTER_FORMAT}' version ${POINTER_FORMAT_VERSION}.`);
  }
  if (typeof p.version !== 'string' || !VERSION_NAME.test(p.version)) {
    throw new VersionedDirError(`${path}: 'version' must name a version folder v<k>.`);
  }
  if (p.files === null || typeof p.files !== 'object') throw new VersionedDirError(`${path}: 'files' must be an object.`);
  for (const [name, f] of Object.entries(p.files)) {
    checkFileName(name);
    if (f === null || typeof f !== 'object' || !/^[0-9a-f]{64}$/.test(String(f.sha256)) || !Number.isInteger(f.bytes) || f.bytes < 0) {
      throw new VersionedDirError(`${path}: files['${name}'] must have a 64-hex-digit sha256 and a byte count.`);
    }
  }
  return p as VersionPointer;
}

/** Path of `name` in the version `pointer` names. */
export function versionFilePath(dir: string, pointer: VersionPointer, name: string): string {
  return join(dir, pointer.version, name);
}

/** Reads `name` of the version `pointer` names and checks it against the pointer. Throws VersionedDirError. */
export function readVersionFile(dir: string, pointer: VersionPointer, name: string): Buffer {
  const entry = Object.hasOwn(pointer.files, name) ? pointer.files[name] : undefined;
  if (!entry) throw new VersionedDirError(`${join(dir, POINTER_FILE)}: version ${pointer.version} has no file '${name}'.`);
  const path = versionFilePath(dir, pointer, name);
  if (!existsSync(path)) throw new VersionedDirError(`${path} is missing; the version is incomplete.`);
  const bytes = readFileSync(path);
  if (bytes.byteLength !== entry.bytes) {
    throw new VersionedDirError(`${path}: has ${bytes.byteLength} bytes but ${POINTER_FILE} records ${entry.bytes}; the file is truncated or was replaced.`);
  }
  const actual = sha256Hex(bytes);
  if (actual !== entry.sha256) {
    throw new VersionedDirError(`${path}: sha256 ${actual.slice(0, 12)}... does not match ${POINTER_FILE} (${entry.sha256.slice(0, 12)}...); the file is corrupted or was edited.`);
  }
  return bytes;
}

/** Deletes versions other than `keep` and the staging and pointer temp files of writers that are gone. */
function removeStale(dir: string, keep: string): void {
  for (const entry of readdirSync(dir)) {
    const staging = STAGING_NAME.exec(entry) ?? TEMP_POINTER_NAME.exec(entry);
    const stale = (VERSION_NAME.test(entry) && entry !== keep) || (staging !== null && !isAlive(Number(staging[1])));
    if (stale) rmSync(join(dir, entry), { recursive: true, force: true });
  }
}

/** Builds the next version of a directory aside; `commit` switches readers to it. */
export class VersionWriter {
  private readonly staging: string;
  private readonly files: Record<string, VersionFile> = {};
  private finished = false;

  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true });
    this.staging = join(dir, `.staging-${process.pid}-${randomBytes(4).toString('hex')}`);
    mkdirSync(this.staging);
  }

  /** Writes one file of the new version (durably) and returns its checksum. */
  write(name: string, data: string | Uint8Array): VersionFile {
    checkFileName(name);
    if (Object.hasOwn(this.files, name)) throw new VersionedDirError(`'${name}' is written twice in one version.`);
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    const path = join(this.staging, name);
    mkdirSync(dirname(path), { recursive: true });
    writeDurably(path, bytes);
    const entry = { sha256: sha256Hex(bytes), bytes: bytes.byteLength };
    this.files[name] = entry;
    return entry;
  }

  /** Publishes the version (one rename of the pointer), then deletes what it replaced. */
  commit(): VersionPointer {
    if (this.finished) throw new VersionedDirError(`${this.dir}: this version was already committed or aborted.`);
    this.finished = true;
    const version = this.moveToFreshVersion();
    const pointer: VersionPointer = { format: POINTER_FORMAT, formatVersion: POINTER_FORMAT_VERSION, version, files: this.files };
    writeFileAtomic(join(this.dir, POINTER_FILE), `${JSON.stringify(pointer, null, 2)}\n`);
    removeStale(this.dir, version);
    return pointer;
  }

  abort(): void {
    this.finished = true;
    rmSync(this.staging, { recursive: true, force: true });
  }

  /** Renames the staging folder to v<k>, k above every version present (the loser of a race takes the next k). */
  private moveToFreshVersion(): string {
    const folders = new Set(Object.keys(this.files).map((name) => dirname(join(this.staging, name))));
    for (const folder of [...folders, this.staging]) fsyncPath(folder);
    for (let attempt = 0; ; attempt++) {
      const taken = readdirSync(this.dir).map((e) => VERSION_NAME.exec(e)).filter((m) => m !== null).map((m) => Number(m[1]));
      const version = `v${Math.max(0, ...taken) + 1}`;
      try {
        renameSync(this.staging, join(this.dir, version));
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if ((code === 'ENOTEMPTY' || code === 'EEXIST') && attempt < 10) continue;
        throw err;
      }
      fsyncPath(this.dir);
      return version;
    }
  }
}

/** Copies the current version of `from` into a new version of `to` (every file checked on the way). */
export function copyCurrentVersion(from: string, to: string): VersionPointer {
  const pointer = readPointer(from);
  const writer = new VersionWriter(to);
  try {
    for (const name of Object.keys(pointer.files)) writer.write(name, readVersionFile(from, pointer, name));
    return writer.commit();
  } catch (err) {
    writer.abort();
    throw err;
  }
}
