/** Graceful shutdown: in-flight requests finish, new connections are refused, SIGTERM exits 0. */
import { join } from 'node:path';
import request from 'supertest';
import { startServer } from '../../src/server/server.js';
import type { AllocationServable, ModelLoader } from '../../src/server/registry.js';
import { makeTempDir } from '../helpers/tmp.js';
import { captureLogger, fakeAllocationLoader, saveFakeAllocationModel } from './helpers.js';
import { spawnServe, whenReady } from '../../scripts/shared/serve-process.js';

let tmp: ReturnType<typeof makeTempDir>;
beforeAll(async () => {
  tmp = makeTempDir();
  await saveFakeAllocationModel(join(tmp.dir, 'alloc'));
});
afterAll(() => tmp.cleanup());

/** The fake model, slowed down to `ms` per forward pass after warm-up. */
function slowLoader(ms: number): ModelLoader {
  return {
    ...fakeAllocationLoader,
    async load(dir, name) {
      const m = (await fakeAllocationLoader.load(dir, name)) as AllocationServable;
      let warm = false;
      setTimeout(() => (warm = true), 50);
      return {
        ...m,
        allocate: async (p, g) => {
          if (warm) await new Promise((r) => setTimeout(r, ms));
          return m.allocate(p, g);
        },
      } satisfies AllocationServable;
    },
  };
}

describe('graceful shutdown', () => {
  test('close(): readiness turns false, the in-flight request completes, then the port is closed', async () => {
    const { logger, lines } = captureLogger();
    const running = await startServer({ modelsDir: tmp.dir, port: 0, loaders: [slowLoader(400)], logger, config: { precomputeLambdas: false } });
    await running.loaded;
    await new Promise((r) => setTimeout(r, 60));
    expect((await request(running.url).get('/v2/health/ready')).status).toBe(200);
    const inFlight = request(running.url).post('/v1/allocate').send({ problem: 'fdma-delay', gains: [1, 2, 3, 4, 5] });
    const pending = inFlight.then((r) => r);
    await new Promise((r) => setTimeout(r, 100));
    const closed = running.close('test');
    expect(running.ctx.shuttingDown).toBe(true);
    const res = await pending;
    expect(res.status).toBe(200);
    expect(res.body.power).toHaveLength(5);
    await closed;
    await expect(request(running.url).get('/v2/health/live').timeout(2000)).rejects.toThrow();
    expect(lines.some((l) => l.msg === 'shut down')).toBe(true);
    expect(lines.some((l) => /auth disabled: RADIO_MTL_API_TOKEN is not set/.test(String(l.msg)))).toBe(true);
  });

  test('SIGTERM to `radio-mtl serve`: the in-flight request is answered and the process exits 0', async () => {
    const server = spawnServe(['--port', '0', '--no-lambda-warmup', '--no-models']);
    const { child, log, exited } = server;
    try {
      const url = await whenReady(server);
      // A slow request: four IPM solves at N = 256.
      const gains = Array.from({ length: 4 }, (_, i) => Array.from({ length: 256 }, (_, j) => 0.1 + ((i * 7 + j) % 13) / 3));
      const pending = request(url as string).post('/v1/allocate').send({ problem: 'fdma-delay', gains, solver: 'ipm' }).then((r) => r);
      await new Promise((r) => setTimeout(r, 50));
      child.kill('SIGTERM');
      const res = await pending;
      expect(res.status).toBe(200);
      expect(res.body.power).toHaveLength(4);
      expect(await exited).toBe(0);
      expect(log.out).toMatch(/SIGTERM received/);
      expect(log.out).toMatch(/"msg":"shut down"/);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  test('--workers 2: both workers serve the port; SIGTERM to the primary stops them all, exit 0', async () => {
    const server = spawnServe(['--port', '0', '--no-lambda-warmup', '--no-models', '--workers', '2']);
    const { child, log, exited } = server;
    try {
      await whenReady(server, { workers: 2 });
      expect(log.out).toMatch(/starting 2 workers/);
      // Every worker logs the address it serves; each must answer.
      const urls = [...log.out.matchAll(/listening on (http:\/\/[^ ]+) /g)].map((m) => m[1]);
      expect(urls).toHaveLength(2);
      for (const url of urls) expect((await request(url).get('/v2/health/ready')).status).toBe(200);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect((log.out.match(/"msg":"shut down"/g) ?? []).length).toBe(2);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 90_000);
});
