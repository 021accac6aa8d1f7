/**
 * Runs a sharded script as `jobs` child processes on this machine, one shard each
 * (`--shard k/jobs`, niced: the cores are shared), and waits for all: how a sweep uses both
 * cores without the user sharding it by hand. Rejects naming the shards that failed.
 */
import { spawn } from 'node:child_process';

export async function runShardProcesses(label: string, script: string, args: readonly string[], jobs: number): Promise<void> {
  const exits = await Promise.all(Array.from({ length: jobs }, (_, k) => new Promise<number | null>((resolve) => {
    const child = spawn('nice', ['-n', '5', process.execPath, '--import', 'tsx', script, ...args, '--shard', `${k + 1}/${jobs}`], { stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', () => resolve(null));
    child.on('exit', (code) => resolve(code));
  })));
  const failed = exits.flatMap((code, k) => (code === 0 ? [] : [`${k + 1}/${jobs} (exit ${code ?? 'error'})`]));
  if (failed.length > 0) throw new Error(`${label}: shard process ${failed.join(', ')} failed; finished runs are kept, run again to resume`);
}
