/** Runs a sweep script (scripts/<folder>/*.ts through tsx; `script` is the path under scripts/) the way `npm run` does, for the sharding tests. */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface ScriptResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function runScript(script: string, args: string[], env: NodeJS.ProcessEnv = {}): ScriptResult {
  const r = spawnSync(process.execPath, ['--import', 'tsx', `scripts/${script}`, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A report without what depends on the clock or the invocation: durations, load, the command line, runs launched now, and file sizes (the saved manifest records durations). */
export function withoutTiming(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutTiming);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value)
      .filter(([k]) => !/seconds|ms$|wall|loadAverage|Invocation|skipped|command|size/i.test(k))
      .map(([k, v]) => [k, withoutTiming(v)]));
  }
  return value;
}
