/** `radio-mtl serve` in a child process (the built CLI, as users run it), for tests that signal or load it. */
import { spawn } from 'node:child_process';

export function spawnServe(args: string[]) {
  const child = spawn(process.execPath, ['bin/radio-mtl', 'serve', '--port', '0', '--no-lambda-warmup', ...args], {
    cwd: process.cwd(),
    env: { ...process.env, PORT: '', RADIO_MTL_API_TOKEN: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = { out: '' };
  child.stdout.on('data', (d: Buffer) => (log.out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (log.out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, log, exited };
}

/** The server's URL once `workers` processes logged "ready"; throws with the log if it never does. */
export async function whenReady(log: { out: string }, workers = 1, ms = 60_000): Promise<string> {
  const deadline = Date.now() + ms;
  while ((log.out.match(/"msg":"ready"/g) ?? []).length < workers && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  const url = /listening on (http:\/\/[^ ]+) /.exec(log.out)?.[1];
  if (!url || (log.out.match(/"msg":"ready"/g) ?? []).length < workers) throw new Error(`server did not become ready:\n${log.out}`);
  return url;
}
