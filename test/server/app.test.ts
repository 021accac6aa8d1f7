/** The assembled app: /metrics, /docs, /openapi.json, headers, 404, 405, timeout, shutting down. */
import request from 'supertest';
import { expectMatchesContract, makeApp, useFakeModelsApp } from './helpers.js';

const fake = useFakeModelsApp();

describe('operations', () => {
  test('/metrics is Prometheus text with request counts, latencies and model gauges', async () => {
    await request(fake.app().app).get('/v1/tasks');
    const res = await request(fake.app().app).get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text).toMatch(/radio_mtl_http_requests_total\{method="GET",route="\/v1\/tasks",status="200"\} [1-9]/);
    expect(res.text).toMatch(/radio_mtl_http_request_duration_seconds_bucket/);
    expect(res.text).toMatch(/radio_mtl_models_loaded\{kind="allocation"\} 1/);
    expect(res.text).toMatch(/radio_mtl_models_refused 0/);
  });

  test('/docs renders Swagger UI from local files only; /openapi.json is the contract', async () => {
    const page = await request(fake.app().app).get('/docs');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.text).not.toMatch(/https?:\/\//);
    for (const src of page.text.match(/(?:src|href)="([^"]+)"/g) ?? []) {
      const url = src.replace(/^(?:src|href)="|"$/g, '');
      const asset = await request(fake.app().app).get(url);
      expect([url, asset.status]).toEqual([url, 200]);
    }
    const init = await request(fake.app().app).get('/docs/init.js');
    expect(init.text).toContain("url: '/openapi.json'");
    const spec = await request(fake.app().app).get('/openapi.json');
    expect(spec.status).toBe(200);
    expect(spec.body.openapi).toBe('3.1.0');
    expect(Object.keys(spec.body.paths)).toEqual(expect.arrayContaining(['/v1/allocate', '/v1/kpi/predict', '/v1/tasks', '/v1/models']));
  });

  test('security headers (helmet), no x-powered-by', async () => {
    const res = await request(fake.app().app).get('/v2/health/live');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toMatch(/default-src 'self'/);
    expect(res.headers['content-security-policy']).not.toMatch(/upgrade-insecure-requests/);
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  test('404 for an unknown path, 405 with Allow for a wrong method', async () => {
    const nf = await request(fake.app().app).get('/v1/nothing');
    expect(nf.status).toBe(404);
    expect(nf.body.code).toBe('not-found');
    expect(nf.headers['content-type']).toMatch(/problem\+json/);
    const na = await request(fake.app().app).get('/v1/allocate');
    expect(na.status).toBe(405);
    expect(na.body.code).toBe('method-not-allowed');
    expect(na.headers.allow).toBe('POST');
    const na2 = await request(fake.app().app).delete('/v1/models');
    expect(na2.status).toBe(405);
    expect(na2.headers.allow).toBe('GET, HEAD');
  });

  test('a request slower than the timeout gets 503 timeout', async () => {
    const slow = await makeApp(fake.dir(), { requestTimeoutMs: 30, maxQueueDelayUs: 200_000 });
    const res = await request(slow.app).post('/v1/allocate').send({ problem: 'fdma-delay', gains: [1, 2, 3, 4, 5] });
    expect(res.status).toBe(503);
    expect(res.body.code).toBe('timeout');
    expectMatchesContract('allocate', 503, res.body);
    await slow.ctx.allocationBatcher.idle();
  });
});

describe('shutting down', () => {
  test('readiness 503 shutting-down and /v1 requests 503 shutting-down with Connection: close', async () => {
    const t2 = await makeApp(fake.dir());
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
