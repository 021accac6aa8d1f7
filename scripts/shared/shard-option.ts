/**
 * The sharding switches the sweep scripts share: `--shard I/N` (shards numbered 1..N), or for a
 * Kubernetes Indexed Job `--shard-index-env NAME --shards N` (the 0-based index read from the
 * environment variable NAME, e.g. JOB_COMPLETION_INDEX, so shard = index + 1), and `--merge`.
 * A shard runs only its runs and writes no report; --merge writes the report once every run exists.
 */
import { argv, flag, opt, type ScriptOption } from './lib.js';
import { parseShard, type Shard } from './shard.js';

/** The sharding switches, for the script's readScriptOptions. */
export const SHARD_OPTIONS: Record<string, ScriptOption> = {
  shard: { value: 'I/N', help: 'run only shard I of N (numbered 1..N) and write no report' },
  'shard-index-env': { value: 'NAME', help: 'take the 0-based shard index from the environment variable NAME (with --shards)' },
  shards: { value: 'N', help: 'the number of shards (with --shard-index-env)' },
  merge: { help: 'after every shard: check every run is there and write the report' },
};

export interface ShardOptions {
  /** The shard to run, or null for the whole sweep. */
  shard: Shard | null;
  merge: boolean;
}

/** Reads the sharding switches; throws a one-line error naming the switch when they are malformed. */
export function readShardOptions(env: NodeJS.ProcessEnv = process.env): ShardOptions {
  const merge = flag('merge');
  const envName = opt('shard-index-env', '');
  let text = opt('shard', '');
  if (envName) {
    if (text) throw new Error('--shard-index-env: give either --shard I/N or --shard-index-env NAME --shards N, not both');
    const index = env[envName];
    if (index === undefined || !/^\d+$/.test(index)) throw new Error(`--shard-index-env: ${envName} must hold a 0-based shard index, got '${index ?? ''}'`);
    const count = opt('shards', '');
    if (!count) throw new Error('--shards: needed with --shard-index-env (the number of shards)');
    text = `${Number(index) + 1}/${count}`;
  } else if (flag('shards')) {
    throw new Error('--shards: only with --shard-index-env NAME (otherwise give --shard I/N)');
  }
  const shard = text ? parseShard(text) : null;
  if (shard && merge) throw new Error('--merge: runs once after all shards, without --shard');
  return { shard, merge };
}

/** readShardOptions, or one line `<script>: <error>` on stderr and exit code 2. */
export function shardOptionsOrExit(script: string): ShardOptions {
  try {
    return readShardOptions();
  } catch (err) {
    process.stderr.write(`${script}: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(2);
  }
}

/** For --merge: exits with code 2 and one line listing the missing runs, if any. */
export function requireAllRuns(script: string, missing: readonly string[], total: number): void {
  if (missing.length === 0) return;
  process.stderr.write(`${script}: --merge: ${missing.length} of ${total} runs missing: ${missing.join(', ')}\n`);
  process.exit(2);
}

const VALUED = ['--shard', '--shard-index-env', '--shards'];
/** The script's arguments without the sharding switches (they do not change the result). */
export function withoutShardArgs(args: readonly string[] = argv): string[] {
  return args.filter((a, i) => !VALUED.includes(a) && a !== '--merge' && !VALUED.includes(args[i - 1]));
}
