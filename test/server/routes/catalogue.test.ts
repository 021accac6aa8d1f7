/** GET /v1/tasks and /v1/models. */
import request from 'supertest';
import { expectMatchesContract, useFakeModelsApp } from '../helpers.js';

const fake = useFakeModelsApp();

describe('catalogue', () => {
  test('GET /v1/tasks lists every (problem, N) with its solvers and models, and the limits', async () => {
    const res = await request(fake.app().app).get('/v1/tasks');
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
    const res = await request(fake.app().app).get('/v1/models');
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
