/** GET /v2/health/live and /v2/health/ready. */
import { join } from 'node:path';
import request from 'supertest';
import { makeTempDir } from '../../helpers/tmp.js';
import { expectMatchesContract, makeApp, saveFakeAllocationModel, saveFakeKpiModel } from '../helpers.js';
import { loadModels } from '../../../src/server/app.js';

let tmp: ReturnType<typeof makeTempDir>;

beforeAll(async () => {
  tmp = makeTempDir();
  await saveFakeAllocationModel(join(tmp.dir, 'alloc'), { sizes: [5, 8, 30] });
  await saveFakeKpiModel(join(tmp.dir, 'kpi'), 4);
});
afterAll(() => tmp.cleanup());

describe('health', () => {
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
});
