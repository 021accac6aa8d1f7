/**
 * Splitting a sweep over machines: shard I of N (numbered 1..N) takes a fixed subset of
 * the full, ordered list of runs, so N shards together cover every run exactly once and
 * the same shard always gets the same runs.
 */

/** One shard of a sweep: `index` in 1..count. */
export interface Shard {
  index: number;
  count: number;
}

/** Parses `I/N` (1 <= I <= N, both integers); throws a one-line error naming --shard otherwise. */
export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!m) throw new Error(`--shard: expected I/N with shards numbered 1..N, got '${text}'`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1) throw new Error(`--shard: the number of shards N must be at least 1, got '${text}'`);
  if (index < 1 || index > count) throw new Error(`--shard: I must be between 1 and N (shards are numbered 1..N), got '${text}'`);
  return { index, count };
}

/** The items of one shard: item k (0-based) goes to shard (k mod count) + 1. */
export function inShard<T>(items: readonly T[], shard: Shard): T[] {
  return items.filter((_, k) => k % shard.count === shard.index - 1);
}
