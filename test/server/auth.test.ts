import { join } from 'node:path';
import request from 'supertest';
import { makeTempDir } from '../helpers/tmp.js';
import { expectMatchesContract, makeApp, saveFakeAllocationModel } from './helpers.js';

let tmp: ReturnType<typeof makeTempDir>;
const TOKEN = 's3cret-token-value';
const BODY = { problem: 'fdma-delay', gains: [1, 2, 3], solver: 'exact' };

beforeAll(async () => {
  tmp = makeTempDir();
  await saveFakeAllocationModel(join(tmp.dir, 'alloc'));
});
afterAll(() => tmp.cleanup());

describe('bearer auth', () => {
  test('off (no token configured): /v1 is open', async () => {
    const t = await makeApp(tmp.dir);
    const res = await request(t.app).post('/v1/allocate').send(BODY);
    expect(res.status).toBe(200);
  });

  test('on: /v1 needs the exact token; health, metrics and docs stay open; the token is never logged', async () => {
    const t = await makeApp(tmp.dir, { apiToken: TOKEN });
    const none = await request(t.app).post('/v1/allocate').send(BODY);
    expect(none.status).toBe(401);
    expect(none.body.code).toBe('unauthorized');
    expect(none.headers['www-authenticate']).toMatch(/^Bearer realm="radio-mtl"/);
    expectMatchesContract('allocate', 401, none.body);
    const wrong = await request(t.app).post('/v1/allocate').set('Authorization', 'Bearer nope').send(BODY);
    expect(wrong.status).toBe(401);
    expect(wrong.headers['www-authenticate']).toMatch(/invalid_token/);
    const basic = await request(t.app).get('/v1/models').set('Authorization', `Basic ${TOKEN}`);
    expect(basic.status).toBe(401);
    expectMatchesContract('listModels', 401, basic.body);
    const tasks = await request(t.app).get('/v1/tasks');
    expect(tasks.status).toBe(401);
    expectMatchesContract('listTasks', 401, tasks.body);
    const kpi = await request(t.app).post('/v1/kpi/predict').send({ windows: [[[1, 2, 3]]] });
    expect(kpi.status).toBe(401);
    const ok = await request(t.app).post('/v1/allocate').set('Authorization', `Bearer ${TOKEN}`).send(BODY);
    expect(ok.status).toBe(200);
    const models = await request(t.app).get('/v1/models').set('Authorization', `bearer ${TOKEN}`);
    expect(models.status).toBe(200);
    for (const path of ['/v2/health/live', '/v2/health/ready', '/metrics', '/docs', '/openapi.json']) {
      expect([path, (await request(t.app).get(path)).status]).toEqual([path, 200]);
    }
    expect(JSON.stringify(t.lines)).not.toContain(TOKEN);
  });
});
