/**
 * The PyTorch benchmark process is started with every thread pool pinned: torch.set_num_threads
 * alone leaves OpenBLAS's (and OpenMP's, MKL's) own threads running, which doubled PyTorch's CPU
 * time on two cores. A stand-in "python" (node running a tiny script) reports what it was given.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPythonWorker, THREAD_POOL_VARIABLES } from '../../src/bench/python-worker.js';

const FAKE = `
const env = Object.fromEntries(THREAD_POOL_VARIABLES_PLACEHOLDER.map((k) => [k, process.env[k] ?? null]));
console.log(JSON.stringify({ ready: true, env, argv: process.argv.slice(2) }));
process.stdin.on('data', () => console.log(JSON.stringify({ cpuMs: 1, wallMs: 2 })));
`;

function fakePython(): string {
  const dir = mkdtempSync(join(tmpdir(), 'fake-python-'));
  const file = join(dir, 'fake.cjs');
  writeFileSync(file, FAKE.replace('THREAD_POOL_VARIABLES_PLACEHOLDER', JSON.stringify(THREAD_POOL_VARIABLES)));
  return file;
}

describe('startPythonWorker', () => {
  test.each([1, 2])('pins OpenBLAS, OpenMP, MKL and the rest to %i thread(s) and passes --threads', async (threads) => {
    const saved = process.env.OPENBLAS_NUM_THREADS;
    process.env.OPENBLAS_NUM_THREADS = '8'; // a user's setting must not leak into the measurement
    try {
      const started = await startPythonWorker(process.execPath, fakePython(), ['--hidden', '64'], { threads });
      if (!started.worker) throw new Error(started.reason);
      const { env, argv } = started.worker.info as { env: Record<string, string | null>; argv: string[] };
      expect(THREAD_POOL_VARIABLES).toEqual(expect.arrayContaining(['OPENBLAS_NUM_THREADS', 'OMP_NUM_THREADS', 'MKL_NUM_THREADS']));
      for (const name of THREAD_POOL_VARIABLES) expect({ name, value: env[name] }).toEqual({ name, value: String(threads) });
      expect(argv).toEqual(['--serve', '--hidden', '64', '--threads', String(threads)]);
      expect(await started.worker.request({})).toEqual({ cpuMs: 1, wallMs: 2 });
      started.worker.close();
    } finally {
      if (saved === undefined) delete process.env.OPENBLAS_NUM_THREADS;
      else process.env.OPENBLAS_NUM_THREADS = saved;
    }
  });
});
