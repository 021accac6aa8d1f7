/**
 * A long-lived PyTorch benchmark process (scripts/bench-*-torch.py --serve): one JSON
 * request per line in, one JSON line out. Kept alive so its blocks can be interleaved
 * with the JavaScript ones without paying Python's start-up each time.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Sample } from './interleave.js';
import { childEnvironment } from '../settings.js';

export interface PythonWorker {
  /** What the script reported at start-up (torch version, threads, the process's OS threads). */
  info: Record<string, unknown>;
  request(body: Record<string, unknown>): Promise<Sample>;
  close(): void;
}

/**
 * The environment variables that size the thread pools PyTorch's CPU kernels may use. Pinning
 * torch's own pool (torch.set_num_threads) leaves OpenBLAS's running, which doubled PyTorch's
 * CPU time on two cores: every one is set, overriding the caller's environment.
 */
export const THREAD_POOL_VARIABLES = ['OMP_NUM_THREADS', 'OPENBLAS_NUM_THREADS', 'MKL_NUM_THREADS', 'VECLIB_MAXIMUM_THREADS', 'NUMEXPR_NUM_THREADS', 'BLIS_NUM_THREADS'] as const;

export interface PythonWorkerOptions {
  /** Threads for torch and every pool under it (passed as `--threads`). Default 1. */
  threads?: number;
}

/** Starts `python script --serve ...args --threads N`; resolves null with the reason when torch is unavailable. */
export async function startPythonWorker(python: string, script: string, args: string[], opts: PythonWorkerOptions = {}): Promise<{ worker: PythonWorker } | { worker: null; reason: string }> {
  const threads = String(opts.threads ?? 1);
  const env = childEnvironment(Object.fromEntries(THREAD_POOL_VARIABLES.map((name) => [name, threads])));
  let child: ChildProcessWithoutNullStreams;
  try {
    child = spawn(python, [script, '--serve', ...args, '--threads', threads], { stdio: 'pipe', env });
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

/** What a speed report records of its PyTorch contender. */
export interface PytorchInfo {
  available: boolean;
  version: string | null;
  reason: string | null;
  /** torch's intra-op threads; the BLAS/OpenMP pools' settings; the OS threads alive in the process at start. */
  threads?: number | null;
  pools?: Record<string, string | null> | null;
  osThreads?: number | null;
  /** The BLAS libraries mapped into the process (a reference BLAS makes PyTorch several times slower). */
  blas?: string | null;
}

/** The report's view of a started (or failed) worker. */
export function pytorchInfo(started: { worker: PythonWorker } | { worker: null; reason: string }): PytorchInfo {
  if (!started.worker) return { available: false, version: null, reason: started.reason };
  const info = started.worker.info;
  return {
    available: true,
    version: String(info.torch),
    reason: null,
    threads: typeof info.threads === 'number' ? info.threads : null,
    pools: (info.pools as Record<string, string | null> | undefined) ?? null,
    osThreads: typeof info.osThreads === 'number' ? info.osThreads : null,
    blas: typeof info.blas === 'string' ? info.blas : null,
  };
}

/** One sentence for a report: the version and every thread pool, as the process reported them. */
export function pytorchThreadsText(p: PytorchInfo): string {
  const pools = p.pools ? Object.entries(p.pools).map(([k, v]) => `${k}=${v ?? 'unset'}`).join(', ') : 'pools not reported';
  return `torch.set_num_threads(${p.threads ?? '?'}); ${pools}; ${p.osThreads ?? '?'} OS threads in the process at start; BLAS ${p.blas ?? 'not reported'}`;
}
