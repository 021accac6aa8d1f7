/**
 * `radio-mtl serve` in a child process: spawned with its arguments, waited for until ready,
 * stopped with SIGTERM. bench:server, docs:api and the tests that signal or load a real
 * server all start it here.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './lib.js';

export interface ServeOptions {
  /** 'built': bin/radio-mtl on dist/, as users run it (needs `npm run build`); 'source': src/ through tsx. */
  from?: 'built' | 'source';
  /** Added to the environment (which has PORT and RADIO_MTL_API_TOKEN emptied: no auth unless given). */
  env?: NodeJS.ProcessEnv;
}

export interface ServeProcess {
  child: ChildProcess;
  /** Everything the server wrote so far, stdout and stderr in arrival order. */
  log: { out: string };
  /** The exit code (null when killed by a signal), once the process exited and its output is read. */
  exited: Promise<number | null>;
}

export interface ReadyOptions {
  /** How many processes must log "ready" (--workers N: N). Default 1. */
  workers?: number;
  /** Give up after this long. Default 60 s. */
  timeoutMs?: number;
  /** Also require GET /v2/health/ready to answer 200 (every model loaded, none refused). */
  healthReady?: boolean;
}

/** Starts `radio-mtl serve ...args` and returns at once. */
export function spawnServe(args: readonly string[], opts: ServeOptions = {}): ServeProcess {
  const program = opts.from === 'source' ? ['--import', 'tsx', join(ROOT, 'src/cli/bin.ts')] : [join(ROOT, 'bin/radio-mtl')];
  const child = spawn(process.execPath, [...program, 'serve', ...args], {
    cwd: ROOT,
    env: { ...process.env, PORT: '', RADIO_MTL_API_TOKEN: '', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = { out: '' };
  child.stdout?.on('data', (d: Buffer) => (log.out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (log.out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, log, exited };
}

const readyCount = (out: string) => (out.match(/"msg":"ready"/g) ?? []).length;

/**
 * The server's URL once `workers` processes logged "ready" (and, with healthReady, once
 * /v2/health/ready answers 200). Throws with the server's output if it exits or the time runs out.
 */
export async function whenReady(server: ServeProcess, opts: ReadyOptions = {}): Promise<string> {
  const { workers = 1, timeoutMs = 60_000, healthReady = false } = opts;
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void server.exited.then(() => (exited = true));
  for (;;) {
    const url = /listening on (http:\/\/[^ ]+) /.exec(server.log.out)?.[1];
    if (url && readyCount(server.log.out) >= workers) {
      const status = healthReady ? (await fetch(`${url}/v2/health/ready`).catch(() => undefined))?.status : 200;
      if (status === 200) return url;
    }
    if (exited) throw new Error(`radio-mtl serve exited before it was ready:\n${server.log.out}`);
    if (Date.now() >= deadline) throw new Error(`radio-mtl serve was not ready within ${timeoutMs} ms:\n${server.log.out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Sends SIGTERM (a graceful shutdown) and resolves to the exit code once the process exited. */
export async function stopServe(server: ServeProcess): Promise<number | null> {
  if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGTERM');
  return server.exited;
}

/** spawnServe, then whenReady; a server that never gets ready is killed before the error is thrown. */
export async function startServe(args: readonly string[], opts: ServeOptions & ReadyOptions = {}): Promise<ServeProcess & { url: string }> {
  const server = spawnServe(args, opts);
  try {
    return { ...server, url: await whenReady(server, opts) };
  } catch (err) {
    server.child.kill('SIGKILL');
    await server.exited;
    throw err;
  }
}
