/**
 * Staging area of a sharded dataset run: each shard writes its (problem, N) tasks to
 * DIR/.shards/<problem>/n<NN>/ (one .npy per array, then task.json with the generation
 * settings and the sha256 of every array, written last so a task without it is
 * unfinished). The merge step reads every task back, checks it, and writes the usual
 * versioned dataset with DatasetWriter, byte-identical to an unsharded run.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../io/atomic-write.js';
import { sha256Hex } from '../../io/versioned-dir.js';
import { DatasetError, SPLITS, type DatasetManifest, type Split, type SplitArrays } from './dataset-files.js';
import { decodeNpy, encodeNpy } from './npy.js';

/** Settings that must agree between every shard and the merge. */
export type StagedHeader = Pick<DatasetManifest, 'problem' | 'params' | 'seed' | 'counts' | 'toolVersion'>;

const ARRAYS = ['gains', 'power', 'objective'] as const;
const TASK_FILE = 'task.json';

export function stagedTaskDir(dir: string, problem: string, n: number): string {
  return join(dir, '.shards', problem, `n${String(n).padStart(2, '0')}`);
}

/** Writes one task's arrays, then its task.json (the mark that the task is complete). */
export function writeStagedTask(dir: string, header: StagedHeader, n: number, splits: Record<Split, SplitArrays>): void {
  const taskDir = stagedTaskDir(dir, header.problem, n);
  const files: Record<string, string> = {};
  for (const split of SPLITS) {
    for (const name of ARRAYS) {
      const data = splits[split][name];
      if (!data) continue;
      const bytes = encodeNpy(data, [data.length]);
      const file = `${split}_${name}.npy`;
      writeFileAtomic(join(taskDir, file), bytes);
      files[file] = sha256Hex(bytes);
    }
  }
  writeFileAtomic(join(taskDir, TASK_FILE), `${JSON.stringify({ header, n, files }, null, 2)}\n`);
}

export function stagedTaskExists(dir: string, problem: string, n: number): boolean {
  return existsSync(join(stagedTaskDir(dir, problem, n), TASK_FILE));
}

/** Reads a staged task back; throws DatasetError when it was made with other settings or a file does not match its checksum. */
export function readStagedTask(dir: string, header: StagedHeader, n: number): Record<Split, SplitArrays> {
  const taskDir = stagedTaskDir(dir, header.problem, n);
  const taskPath = join(taskDir, TASK_FILE);
  const task = JSON.parse(readFileSync(taskPath, 'utf8')) as { header: StagedHeader; files: Record<string, string> };
  if (JSON.stringify(task.header) !== JSON.stringify(header)) {
    throw new DatasetError(`${taskPath}: staged with other settings (${JSON.stringify(task.header)}); rerun the shards with the same options as the merge`);
  }
  const load = (split: Split, name: (typeof ARRAYS)[number]): Float64Array | undefined => {
    const file = `${split}_${name}.npy`;
    const expected = task.files[file];
    if (!expected) return undefined;
    const path = join(taskDir, file);
    const bytes = readFileSync(path);
    if (sha256Hex(bytes) !== expected) throw new DatasetError(`${path}: checksum does not match ${taskPath}`);
    return decodeNpy(bytes, path).data;
  };
  const split = (name: Split): SplitArrays => {
    const gains = load(name, 'gains');
    if (!gains) throw new DatasetError(`${taskPath}: no ${name} gains`);
    return { count: header.counts[name], n, gains, power: load(name, 'power'), objective: load(name, 'objective') };
  };
  return { train: split('train'), test: split('test') };
}
