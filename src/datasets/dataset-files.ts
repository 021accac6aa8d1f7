/**
 * Labelled power-allocation datasets on disk.
 *
 * Layout: DIR/<problem>/manifest.json and DIR/<problem>/n<N>/<split>_<array>.npy
 * (arrays: gains [count, N]; for fdma-delay also power [count, N] and delay [count]).
 * The manifest records problem, parameters, seed, counts, format and tool version and
 * the sha256 of every file. A problem's folder is built in a staging folder and swapped
 * in at the end, so a crash never leaves a half-written dataset under the final name;
 * the reader verifies every checksum and refuses anything that does not match.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../io/atomic-write.js';
import { decodeNpy, encodeNpy, NpyError } from './npy.js';
import type { FdmaDelayParams, Problem, SumCapacityParams } from '../solvers/params.js';
import { PROBLEMS } from '../solvers/params.js';

export const DATASET_FORMAT_VERSION = 1;
export const SPLITS = ['train', 'test'] as const;
export type Split = (typeof SPLITS)[number];

export class DatasetError extends Error {
  override name = 'DatasetError';
}

/** One split of one task, row-major. */
export interface SplitArrays {
  count: number;
  n: number;
  /** [count * n] SNR per watt a_n (fdma-delay, 1/W) or power gains g_n (sum-capacity). */
  gains: Float64Array;
  /** fdma-delay only: exact optimal powers, W, [count * n]. */
  power?: Float64Array;
  /** fdma-delay only: optimal mean delay, s, [count]. */
  objective?: Float64Array;
}

export interface TaskData {
  problem: Problem;
  n: number;
  train: SplitArrays;
  test: SplitArrays;
}

export interface FileEntry {
  file: string;
  sha256: string;
  shape: number[];
}

export interface DatasetManifest {
  formatVersion: number;
  toolVersion: string;
  problem: Problem;
  params: FdmaDelayParams | SumCapacityParams;
  seed: number;
  sizes: number[];
  counts: Record<Split, number>;
  tasks: Array<{ n: number; files: Record<string, FileEntry> }>;
}

export interface LoadedDataset {
  manifest: DatasetManifest;
  /** sha256 of manifest.json: identifies the exact data a model was trained on. */
  manifestSha256: string;
  tasks: TaskData[];
}

const ARRAY_NAMES = { gains: 'gains', power: 'power', objective: 'delay' } as const;

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Folder holding one problem's dataset. */
export function problemDir(dir: string, problem: Problem): string {
  return join(dir, problem);
}

/**
 * Streams tasks into a staging folder; `commit` writes the manifest and swaps the
 * folder into place (an existing dataset is replaced only once the new one is whole).
 */
export class DatasetWriter {
  private readonly staging: string;
  private readonly tasks: DatasetManifest['tasks'] = [];

  constructor(
    private readonly dir: string,
    private readonly header: Omit<DatasetManifest, 'tasks' | 'formatVersion'>,
  ) {
    this.staging = join(dir, `.${header.problem}.partial-${process.pid}`);
    rmSync(this.staging, { recursive: true, force: true });
    mkdirSync(this.staging, { recursive: true });
  }

  addTask(n: number, splits: Record<Split, SplitArrays>): void {
    const files: Record<string, FileEntry> = {};
    for (const split of SPLITS) {
      const arrays = splits[split];
      for (const key of Object.keys(ARRAY_NAMES) as Array<keyof typeof ARRAY_NAMES>) {
        const data = arrays[key];
        if (!data) continue;
        const shape = key === 'objective' ? [arrays.count] : [arrays.count, n];
        const bytes = encodeNpy(data, shape);
        const file = `n${String(n).padStart(2, '0')}/${split}_${ARRAY_NAMES[key]}.npy`;
        writeFileAtomic(join(this.staging, file), bytes);
        files[`${split}_${ARRAY_NAMES[key]}`] = { file, sha256: sha256(bytes), shape };
      }
    }
    this.tasks.push({ n, files });
  }

  commit(): DatasetManifest {
    const manifest: DatasetManifest = { formatVersion: DATASET_FORMAT_VERSION, ...this.header, tasks: this.tasks };
    writeFileAtomic(join(this.staging, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    const target = problemDir(this.dir, this.header.problem);
    const old = `${target}.old-${process.pid}`;
    if (existsSync(target)) renameSync(target, old);
    renameSync(this.staging, target);
    rmSync(old, { recursive: true, force: true });
    return manifest;
  }

  abort(): void {
    rmSync(this.staging, { recursive: true, force: true });
  }
}

/**
 * Reads DIR/<problem>, verifying the format version and the checksum and shape of
 * every file. Throws DatasetError naming the file and what is wrong.
 */
export function readDataset(dir: string, problem: Problem, sizes?: readonly number[]): LoadedDataset {
  if (!PROBLEMS.includes(problem)) throw new DatasetError(`unknown problem '${problem}'`);
  const root = problemDir(dir, problem);
  const manifestPath = join(root, 'manifest.json');
  if (!existsSync(manifestPath)) {
    throw new DatasetError(`${manifestPath} not found: no complete ${problem} dataset in ${dir} (generate one with 'radio-mtl dataset --problem ${problem} --out ${dir}')`);
  }
  const manifestBytes = readFileSync(manifestPath);
  let manifest: DatasetManifest;
  try {
    manifest = JSON.parse(manifestBytes.toString('utf8')) as DatasetManifest;
  } catch (err) {
    throw new DatasetError(`${manifestPath}: not valid JSON (${(err as Error).message})`);
  }
  if (manifest.formatVersion !== DATASET_FORMAT_VERSION) {
    throw new DatasetError(`${manifestPath}: format version ${manifest.formatVersion}, this tool reads ${DATASET_FORMAT_VERSION}`);
  }
  if (manifest.problem !== problem || !Array.isArray(manifest.tasks)) {
    throw new DatasetError(`${manifestPath}: not a ${problem} dataset manifest`);
  }
  const tasks: TaskData[] = [];
  for (const task of manifest.tasks) {
    if (sizes && !sizes.includes(task.n)) continue;
    const load = (split: Split, name: string): Float64Array | undefined => {
      const entry = task.files[`${split}_${name}`];
      if (!entry) return undefined;
      const path = join(root, entry.file);
      if (!existsSync(path)) throw new DatasetError(`${path} is missing (dataset incomplete)`);
      const bytes = readFileSync(path);
      if (sha256(bytes) !== entry.sha256) throw new DatasetError(`${path}: checksum mismatch, the file is corrupted or was modified`);
      try {
        const { data, shape } = decodeNpy(bytes, path);
        if (shape.join(',') !== entry.shape.join(',')) throw new DatasetError(`${path}: shape [${shape}] but manifest says [${entry.shape}]`);
        return data;
      } catch (err) {
        if (err instanceof NpyError) throw new DatasetError(err.message);
        throw err;
      }
    };
    const splitArrays = (split: Split): SplitArrays => {
      const gains = load(split, 'gains');
      if (!gains) throw new DatasetError(`${manifestPath}: task n=${task.n} has no ${split} gains`);
      return { count: gains.length / task.n, n: task.n, gains, power: load(split, 'power'), objective: load(split, 'delay') };
    };
    tasks.push({ problem, n: task.n, train: splitArrays('train'), test: splitArrays('test') });
  }
  if (sizes) {
    const missing = sizes.filter((n) => !tasks.some((t) => t.n === n));
    if (missing.length) throw new DatasetError(`${manifestPath}: no task with N = ${missing.join(', ')} (has ${manifest.sizes.join(', ')})`);
  }
  return { manifest, manifestSha256: sha256(manifestBytes), tasks };
}
