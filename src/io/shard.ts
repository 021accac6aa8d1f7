/**
 * Sharded sweeps: `--shard I/N` runs a fixed subset of a command's ordered list of runs so
 * N processes (or machines) can share the work. Shards are numbered 1..N; run k (0-based)
 * belongs to shard (k mod N) + 1, so the split depends only on the list, never on timing.
 */
import { InputError } from '../input-error.js';

export interface Shard {
  /** 1..count */
  index: number;
  count: number;
}

/** Parses "I/N" (1 <= I <= N); throws an InputError naming --shard otherwise. */
export function parseShard(text: string): Shard {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = match ? Number(match[1]) : NaN;
  const count = match ? Number(match[2]) : NaN;
  if (!match || count < 1 || index < 1 || index > count) {
    throw new InputError('--shard', `must be I/N with 1 <= I <= N (shards are numbered from 1), got '${text}'`);
  }
  return { index, count };
}

/** The items of `items` that shard `shard` runs, in their original order. */
export function inShard<T>(items: readonly T[], shard: Shard): T[] {
  return items.filter((_, k) => k % shard.count === shard.index - 1);
}
