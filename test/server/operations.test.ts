/** GET /v1/tasks, /v1/models, health, readiness, /metrics, /docs, /openapi.json, 404, 405, headers, timeout. */
import { join } from 'node:path';
import request from 'supertest';
import { makeTempDir } from '../helpers/tmp.js';
import { expectMatchesContract, makeApp, saveFakeAllocationModel, saveFakeKpiModel, type TestApp } from './helpers.js';
import { loadModels } from '../../src/server/app.js';

let tmp: ReturnType<typeof makeTempDir>;
let t: TestApp;

beforeAll(async () => {
  tmp = makeTempDir();
  await saveFakeAllocationModel(join(tmp.dir, 'alloc'), { sizes: [5, 8, 30] });
  await saveFakeKpiModel(join(tmp.dir, 'kpi'), 4);
  t = await makeApp(tmp.dir);
});
afterAll(() => tmp.cleanup());

describe('catalogue', () => {
  test('GET /v1/tasks lists every (problem, N) with its solvers and models, and the limits', async () => {
    const res = await request(t.app).get('/v1/tasks');
    expect(res.status).toBe(200);
    expectMatchesContract('listTasks', 200, res.body);
    const find = (problem: string, n: number) => res.body.tasks.find((x: { problem: string; n: number }) => x.problem === problem && x.n === n);
    expect(find('fdma-delay', 5)).toEqual({ problem: 'fdma-delay', n: 5, solvers: ['dnn', 'exact', 'ipm'], models: ['alloc'] });
    expect(find('sum-capacity', 10)).toEqual({ problem: 'sum-capacity', n: 10, solvers: ['exact'], models: [] });
    expect(find('sum-capacity', 30)).toEqual({ problem: 'sum-capacity', n: 30, solvers: ['dnn', 'exact'], models: ['alloc'] });
    expect(res.body.limits).toEqual({
      maxBatch: 1024,
      maxBodyBytes: 1024 * 1024,
      maxKpiWindows: 1024,
      solvers: [
        { problem: 'fdma-delay', solver: 'exact', maxUsers: 1000 },
        { problem: 'fdma-delay', solver: 'ipm', maxUsers: 256 },
        { problem: 'sum-capacity', solver: 'exact', maxUsers: 64 },
      ],
    });
  });

  test('GET /v1/models lists versions, kinds and a manifest summary without long arrays', async () => {
    const res = await request(t.app).get('/v1/models');
    expect(res.status).toBe(200);
    expectMatchesContract('listModels', 200, res.body);
    const alloc = res.body.models.find((m: { name: string }) => m.name === 'alloc');
    expect(alloc).toMatchObject({ kind: 'allocation', scheme: 'routed', version: expect.stringMatching(/^[0-9a-f]{12}$/) });
    expect(alloc.manifest).toMatchObject({ seed: 1, command: 'test' });
    expect(alloc.manifest.curve).toBeUndefined();
    const kpi = res.body.models.find((m: { name: string }) => m.name === 'kpi');
    expect(kpi).toMatchObject({ kind: 'kpi', architecture: 'fake', windowLength: 4 });
    expect(res.body.refused).toEqual([]);
  });
});

describe('operations', () => {
  test('liveness is always 200; readiness 503 while loading, 200 after', async () => {
    const late = await makeApp(tmp.dir, {}, false);
    let res = await request(late.app).get('/v2/health/live');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ live: true });
    res = await request(late.app).get('/v2/health/ready');
    expect(res.status).toBe(503);
    expectMatchesContract('ready', 503, res.body);
    expect(res.body).toEqual({ ready: false, state: 'loading', models: 0, refused: 0 });
    await loadModels(late.ctx, tmp.dir);
    res = await request(late.app).get('/v2/health/ready');
    expect(res.status).toBe(200);
    expectMatchesContract('ready', 200, res.body);
    expect(res.body).toEqual({ ready: true, state: 'ready', models: 2, refused: 0 });
  });

  test('/metrics is Prometheus text with request counts, latencies and model gauges', async () => {
    await request(t.app).get('/v1/tasks');
    const res = await request(t.app).get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text).toMatch(/radio_mtl_http_requests_total\{method="GET",route="\/v1\/tasks",status="200"\} [1-9]/);
    expect(res.text).toMatch(/radio_mtl_http_request_duration_seconds_bucket/);
    expect(res.text).toMatch(/radio_mtl_models_loaded\{kind="allocation"\} 1/);
    expect(res.text).toMatch(/radio_mtl_models_refused 0/);
  });

  test('/docs renders Swagger UI from local files only; /openapi.json is the contract', async () => {
    const page = await request(t.app).get('/docs');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.text).not.toMatch(/https?:\/\//);
    for (const src of page.text.match(/(?:src|href)="([^"]+)"/g) ?? []) {
      const url = src.replace(/^(?:src|href)="|"$/g, '');
      const asset = await request(t.app).get(url);
      expect([url, asset.status]).toEqual([url, 200]);
    }
    const init = await request(t.app).get('/docs/init.js');
    expect(init.text).toContain("url: '/openapi.json'");
    const spec = await request(t.app).get('/openapi.json');
    expect(spec.status).toBe(200);
    expect(spec.body.openapi).toBe('3.1.0');
    expect(Object.keys(spec.body.paths)).toEqual(expect.arrayContaining(['/v1/allocate', '/v1/kpi/predict', '/v1/tasks', '/v1/models']));
  });

  test('security headers (helmet), no x-powered-by', async () => {
    const res = await request(t.app).get('/v2/health/live');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toMatch(/default-src 'self'/);
    expect(res.headers['content-security-policy']).not.toMatch(/upgrade-insecure-requests/);
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  test('404 for an unknown path, 405 with Allow for a wrong method', async () => {
    const nf = await request(t.app).get('/v1/nothing');
    expect(nf.status).toBe(404);
    expect(nf.body.code).toBe('not-found');
    expect(nf.headers['content-type']).toMatch(/problem\+json/);
    const na = await request(t.app).get('/v1/allocate');
    expect(na.status).toBe(405);
    expect(na.body.code).toBe('method-not-allowed');
    expect(na.headers.allow).toBe('POST');
    const na2 = await request(t.app).delete('/v1/models');
    expect(na2.status).toBe(405);
    expect(na2.headers.allow).toBe('GET, HEAD');
  });

  test('a request slower than the timeout gets 503 timeout', async () => {
    const slow = await makeApp(tmp.dir, { requestTimeoutMs: 30, maxQueueDelayUs: 200_000 });
    const res = await request(slow.app).post('/v1/allocate').send({ problem: 'fdma-delay', gains: [1, 2, 3, 4, 5] });
    expect(res.status).toBe(503);
    expect(res.body.code).toBe('timeout');
    expectMatchesContract('allocate', 503, res.body);
    await slow.ctx.allocationBatcher.idle();
  });
});

describe('shutting down', () => {
  test('readiness 503 shutting-down and /v1 requests 503 shutting-down with Connection: close', async () => {
    const t2 = await makeApp(tmp.dir);
    t2.ctx.shuttingDown = true;
    const ready = await request(t2.app).get('/v2/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({ ready: false, state: 'shutting-down' });
    const res = await request(t2.app).post('/v1/allocate').send({ problem: 'fdma-delay', gains: [1, 2, 3, 4, 5] });
    expect(res.status).toBe(503);
    expect(res.body.code).toBe('shutting-down');
    expect(res.headers.connection).toBe('close');
    expectMatchesContract('allocate', 503, res.body);
  });
});
