/**
 * Model directories the registry must refuse without blocking: every file current.json lists
 * is verified (a sidecar the loader never reads included), a FIFO in place of a model file
 * neither blocks the event loop nor SIGTERM, and a read that does not finish in time fails.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import request from 'supertest';
import { initEngine, tf } from '../../src/dnn/engine.js';
import { modelFilePath, saveModel } from '../../src/dnn/model-io.js';
import { POINTER_FILE, readPointer } from '../../src/io/versioned-dir.js';
import { spawnServe } from '../../scripts/shared/serve-process.js';
import { makeTempDir } from '../helpers/tmp.js';
import { FAKE_KPI_KIND, makeApp, saveFakeAllocationModel } from './helpers.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

let tmp: ReturnType<typeof makeTempDir>;
beforeEach(() => {
  tmp = makeTempDir();
});
afterEach(() => tmp.cleanup());

test('a sidecar the loader never reads, replaced by {}, refuses the model naming the file', async () => {
  const dir = join(tmp.dir, 'kpi');
  await initEngine();
  saveModel(dir, { weights: { bias: tf.tensor1d([0.5, -0.25, 1]) }, manifest: { kind: FAKE_KPI_KIND, arch: 'fake', window: 4 }, sidecars: { 'curve.json': '[1, 2, 3]\n' } });
  writeFileSync(modelFilePath(dir, 'curve.json'), '{}');
  const t = await makeApp(tmp.dir);
  expect(t.ctx.registry.models).toHaveLength(0);
  expect(t.ctx.registry.state).toBe('failed');
  expect(t.ctx.registry.refused[0].reason).toMatch(/curve\.json: has 2 bytes but current\.json records 10/);
});

test('a model file that is a FIFO is refused at once; liveness answers while models load', async () => {
  const dir = join(tmp.dir, 'alloc');
  await saveFakeAllocationModel(dir);
  const weights = modelFilePath(dir, 'weights.bin');
  rmSync(weights);
  execFileSync('mkfifo', [weights]);
  const t = await makeApp(tmp.dir, {}, false);
  const { loadModels } = await import('../../src/server/app.js');
  const loading = loadModels(t.ctx, tmp.dir);
  expect((await request(t.app).get('/v2/health/live')).status).toBe(200);
  await loading;
  expect(t.ctx.registry.state).toBe('failed');
  expect(t.ctx.registry.refused[0].reason).toMatch(/weights\.bin: not a regular file/);
});

test('reading the files past the deadline refuses the model: state failed', async () => {
  const dir = join(tmp.dir, 'alloc');
  await saveFakeAllocationModel(dir);
  // A large sidecar listed in current.json: reading it takes longer than 1 ms.
  const pointer = readPointer(dir);
  const big = join(dir, pointer.version, 'big.bin');
  writeFileSync(big, '');
  truncateSync(big, 64 << 20);
  pointer.files['big.bin'] = { sha256: '0'.repeat(64), bytes: 64 << 20 };
  writeFileSync(join(dir, POINTER_FILE), JSON.stringify(pointer));
  const t = await makeApp(tmp.dir, { modelFileTimeoutMs: 1 });
  expect(t.ctx.registry.state).toBe('failed');
  expect(t.ctx.registry.refused[0].reason).toMatch(/did not finish within 1 ms/);
});

test('serve: a FIFO in place of weights.bin leaves the server failed but live, and SIGTERM exits 0', async () => {
  const dir = join(tmp.dir, 'allocation-routed');
  cpSync(join(ROOT, 'models', 'allocation-routed'), dir, { recursive: true });
  const weights = modelFilePath(dir, 'weights.bin');
  rmSync(weights);
  execFileSync('mkfifo', [weights]);
  const server = spawnServe(['--port', '0', '--no-lambda-warmup', '--models', tmp.dir]);
  try {
    const deadline = Date.now() + 60_000;
    while (!/not ready: /.test(server.log.out) && Date.now() < deadline && server.child.exitCode === null) await new Promise((r) => setTimeout(r, 100));
    expect(server.log.out).toMatch(/weights\.bin: not a regular file/);
    const url = /"url":"([^"]+)"/.exec(server.log.out)?.[1] as string;
    expect((await request(url).get('/v2/health/live')).status).toBe(200);
    const ready = await request(url).get('/v2/health/ready');
    expect(ready.body).toMatchObject({ ready: false, state: 'failed' });
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  } finally {
    if (server.child.exitCode === null) server.child.kill('SIGKILL');
  }
});
