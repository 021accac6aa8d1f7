/**
 * A long-lived PyTorch benchmark process (scripts/bench-*-torch.py --serve): one JSON
 * request per line in, one JSON line out. Kept alive so its blocks can be interleaved
 * with the JavaScript ones without paying Python's start-up each time.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Sample } from './interleave.js';

export interface PythonWorker {
  /** What the script reported at start-up (torch version, threads). */
  info: Record<string, unknown>;
  request(body: Record<string, unknown>): Promise<Sample>;
  close(): void;
}

/** Starts `python script --serve ...args`; resolves null with the reason when torch is unavailable. */
export async function startPythonWorker(python: string, script: string, args: string[]): Promise<{ worker: PythonWorker } | { worker: null; reason: string }> {
  let child: ChildProcessWithoutNullStreams;
  try {
    child = spawn(python, [script, '--serve', ...args], { stdio: 'pipe' });
  } catch (err) {
    return { worker: null, reason: (err as Error).message };
  }
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const failed = new Promise<null>((resolve) => {
    child.on('error', (err) => {
      stderr += err.message;
      resolve(null);
    });
    child.on('exit', () => resolve(null));
  });
  const next = async (): Promise<Record<string, unknown> | null> => {
    const line = await Promise.race([lines.next(), failed]);
    if (!line || line.done) return null;
    return JSON.parse(line.value) as Record<string, unknown>;
  };
  const info = await next();
  if (!info?.ready) {
    child.kill();
    const last = stderr.trim().split('\n').pop() || `${python} could not be started`;
    return { worker: null, reason: last };
  }
  return {
    worker: {
      info,
      async request(body) {
        child.stdin.write(`${JSON.stringify(body)}\n`);
        const reply = await next();
        if (!reply) throw new Error(`the PyTorch benchmark process stopped: ${stderr.trim().split('\n').pop() ?? ''}`);
        return { cpuMs: Number(reply.cpuMs), wallMs: Number(reply.wallMs) };
      },
      close: () => {
        child.stdin.end();
      },
    },
  };
}
