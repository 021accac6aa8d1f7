/**
 * Labelled power-allocation datasets on disk.
 *
 * A problem's folder DIR/<problem> is a versioned directory (src/io/versioned-dir.ts):
 * DIR/<problem>/current.json names the live version folder v<k>, which holds
 * manifest.json and n<NN>/<split>_<array>.npy (arrays: gains [count, N]; for fdma-delay
 * also power [count, N] and delay [count]; for interference gains [count, K, K], the
 * WMMSE powers [count, K] and their sum rate sum_rate [count]). The manifest records problem, parameters,
 * seed, counts, format and tool version and the sha256 of every file. A new dataset is
 * written aside and switched in with one rename, so a crash at any point leaves the old
 * dataset or the new one; the reader verifies every checksum and refuses anything that
 * does not match.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { hasPointer, readPointer, readVersionFile, versionFilePath, VersionedDirError, VersionWriter, type VersionPointer } from '../../io/versioned-dir.js';
import { decodeNpy, encodeNpy, NpyError } from './npy.js';
import { DATASET_PROBLEMS, INTERFERENCE, type DatasetProblem, type FdmaDelayParams, type InterferenceParams, type SumCapacityParams } from '../../solvers/params.js';
import { InputError } from '../../input-error.js';

export const DATASET_FORMAT_VERSION = 1;
export const SPLITS = ['train', 'test'] as const;
export type Split = (typeof SPLITS)[number];

export class DatasetError extends InputError {
  override name = 'DatasetError';
}

/** One split of one task, row-major. */
export interface SplitArrays {
  count: number;
  n: number;
  /** [count * n] SNR per watt a_n (fdma-delay, 1/W) or power gains g_n (sum-capacity); [count * n * n] K x K gains (interference). */
  gains: Float64Array;
  /** fdma-delay: exact optimal powers; interference: WMMSE powers; W, [count * n]. */
  power?: Float64Array;
  /** fdma-delay: optimal mean delay, s; interference: the WMMSE sum rate, bits/s/Hz; [count]. */
  objective?: Float64Array;
}

export interface TaskData {
  problem: DatasetProblem;
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
  problem: DatasetProblem;
  params: FdmaDelayParams | SumCapacityParams | InterferenceParams;
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

type ArrayKey = 'gains' | 'power' | 'objective';
const ARRAY_KEYS: readonly ArrayKey[] = ['gains', 'power', 'objective'];
const MANIFEST_FILE = 'manifest.json';

/** File name of an array: the objective is the optimal delay (fdma-delay) or the WMMSE sum rate (interference). */
function arrayName(problem: DatasetProblem, key: ArrayKey): string {
  if (key !== 'objective') return key;
  return problem === INTERFERENCE ? 'sum_rate' : 'delay';
}

/** Values per instance: a K x K matrix of gains for interference, one gain per user otherwise. */
function gainsPerInstance(problem: DatasetProblem, n: number): number[] {
  return problem === INTERFERENCE ? [n, n] : [n];
}

/** Folder holding one problem's dataset. */
export function problemDir(dir: string, problem: DatasetProblem): string {
  return join(dir, problem);
}

/**
 * Streams tasks into a new version of the problem's folder; `commit` writes the manifest
 * and switches readers to it (an existing dataset is replaced only once the new one is whole).
 */
export class DatasetWriter {
  private readonly version: VersionWriter;
  private readonly tasks: DatasetManifest['tasks'] = [];

  constructor(
    dir: string,
    private readonly header: Omit<DatasetManifest, 'tasks' | 'formatVersion'>,
  ) {
    this.version = new VersionWriter(problemDir(dir, header.problem));
  }

  addTask(n: number, splits: Record<Split, SplitArrays>): void {
    const files: Record<string, FileEntry> = {};
    for (const split of SPLITS) {
      const arrays = splits[split];
      for (const key of ARRAY_KEYS) {
        const data = arrays[key];
        if (!data) continue;
        const shape = { objective: [arrays.count], power: [arrays.count, n], gains: [arrays.count, ...gainsPerInstance(this.header.problem, n)] }[key];
        const name = arrayName(this.header.problem, key);
        const file = `n${String(n).padStart(2, '0')}/${split}_${name}.npy`;
        const { sha256 } = this.version.write(file, encodeNpy(data, shape));
        files[`${split}_${name}`] = { file, sha256, shape };
      }
    }
    this.tasks.push({ n, files });
  }

  commit(): DatasetManifest {
    const manifest: DatasetManifest = { formatVersion: DATASET_FORMAT_VERSION, ...this.header, tasks: this.tasks };
    this.version.write(MANIFEST_FILE, `${JSON.stringify(manifest, null, 2)}\n`);
    this.version.commit();
    return manifest;
  }

  abort(): void {
    this.version.abort();
  }
}

/** The current version of a problem's folder; throws DatasetError when there is none. */
function currentVersion(dir: string, problem: DatasetProblem): VersionPointer {
  const root = problemDir(dir, problem);
  if (!hasPointer(root)) {
    const legacy = existsSync(join(root, MANIFEST_FILE)) ? ` (${root} has the flat layout of an older radio-mtl: regenerate it, the same seed gives the same data)` : '';
    throw new DatasetError(`${join(root, 'current.json')} not found: no complete ${problem} dataset in ${dir}${legacy} (generate one with 'radio-mtl dataset --problem ${problem} --out ${dir}')`);
  }
  try {
    return readPointer(root);
  } catch (err) {
    if (err instanceof VersionedDirError) throw new DatasetError(err.message);
    throw err;
  }
}

/** True when DIR/<problem> holds a committed dataset (readDataset still verifies it). */
export function datasetExists(dir: string, problem: DatasetProblem): boolean {
  return hasPointer(problemDir(dir, problem));
}

/**
 * Reads DIR/<problem>, verifying the format version and the checksum and shape of
 * every file. Throws DatasetError naming the file and what is wrong.
 */
export function readDataset(dir: string, problem: DatasetProblem, sizes?: readonly number[]): LoadedDataset {
  if (!DATASET_PROBLEMS.includes(problem)) throw new DatasetError(`unknown problem '${problem}'`);
  const root = problemDir(dir, problem);
  const pointer = currentVersion(dir, problem);
  const read = (file: string): Buffer => {
    try {
      return readVersionFile(root, pointer, file);
    } catch (err) {
      if (err instanceof VersionedDirError) throw new DatasetError(err.message);
      throw err;
    }
  };
  const manifestPath = versionFilePath(root, pointer, MANIFEST_FILE);
  const manifestBytes = read(MANIFEST_FILE);
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
      const path = versionFilePath(root, pointer, entry.file);
      if (pointer.files[entry.file]?.sha256 !== entry.sha256) throw new DatasetError(`${path}: checksum in ${manifestPath} does not match current.json`);
      const bytes = read(entry.file);
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
      const perInstance = gainsPerInstance(problem, task.n).reduce((a, b) => a * b);
      return { count: gains.length / perInstance, n: task.n, gains, power: load(split, 'power'), objective: load(split, arrayName(problem, 'objective')) };
    };
    tasks.push({ problem, n: task.n, train: splitArrays('train'), test: splitArrays('test') });
  }
  if (sizes) {
    const missing = sizes.filter((n) => !tasks.some((t) => t.n === n));
    if (missing.length) throw new DatasetError(`${manifestPath}: no task with N = ${missing.join(', ')} (has ${manifest.sizes.join(', ')})`);
  }
  return { manifest, manifestSha256: pointer.files[MANIFEST_FILE].sha256, tasks };
}
