import { join } from 'node:path';
import request from 'supertest';
import { makeTempDir } from '../../helpers/tmp.js';
import { solveBatch } from '../../../src/solvers/solve-batch.js';
import { expectMatchesContract, FAKE_LOADERS, fakeAllocationLoader, makeApp, saveFakeAllocationModel, type TestApp } from '../helpers.js';
import type { AllocationServable, ModelLoader } from '../../../src/server/registry.js';

/** The fake model, except that scheme 'broken' answers NaN when a first gain is 0.123 (a model bug). */
const brokenLoader: ModelLoader = {
  ...fakeAllocationLoader,
  accepts: (m) => fakeAllocationLoader.accepts(m) && m.scheme === 'broken',
  async load(dir, name) {
    const m = (await fakeAllocationLoader.load(dir, name)) as AllocationServable;
    return { ...m, allocate: (problem, gains) => (gains[0][0] === 0.123 ? gains.map((g) => g.map(() => NaN)) : m.allocate(problem, gains)) } satisfies AllocationServable;
  },
};

let tmp: ReturnType<typeof makeTempDir>;
let t: TestApp;

beforeAll(async () => {
  tmp = makeTempDir();
  await saveFakeAllocationModel(join(tmp.dir, 'alloc-routed'), { sizes: [5, 8] });
  await saveFakeAllocationModel(join(tmp.dir, 'alloc-naive'), { scheme: 'naive', sizes: [5] });
  await saveFakeAllocationModel(join(tmp.dir, 'alloc-broken'), { scheme: 'broken', sizes: [5] });
  t = await makeApp(tmp.dir, {}, true, [brokenLoader, ...FAKE_LOADERS]);
});
afterAll(() => tmp.cleanup());

const G5 = [0.8, 1.7, 0.3, 2.4, 1.1];

async function post(body: unknown) {
  return request(t.app).post('/v1/allocate').send(body as object);
}

describe('POST /v1/allocate', () => {
  test('exact, one fdma-delay instance: scalars, same powers as the solver, valid against the contract', async () => {
    const res = await post({ problem: 'fdma-delay', gains: G5, solver: 'exact' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expectMatchesContract('allocate', 200, res.body);
    const ref = solveBatch('fdma-delay', 'exact', [G5]);
    expect(res.body).toMatchObject({ problem: 'fdma-delay', solver: 'exact', model: null, n: 5, batch: false });
    res.body.power.forEach((p: number, i: number) => expect(p).toBeCloseTo(ref.power[0][i], 12));
    expect(res.body.objective).toBeCloseTo(ref.objective[0], 12);
    expect(res.body.power.reduce((a: number, b: number) => a + b, 0)).toBeCloseTo(10, 9);
    expect(res.body.constraintViolation).toBeLessThan(1e-9);
  });

  test('exact sum-capacity batch: arrays per instance, lambda reported', async () => {
    const res = await post({ problem: 'sum-capacity', gains: [G5, [1.2, 0.4, 0.9, 0.1, 3.0]], solver: 'exact' });
    expect(res.status).toBe(200);
    expectMatchesContract('allocate', 200, res.body);
    expect(res.body.batch).toBe(true);
    expect(res.body.power).toHaveLength(2);
    expect(res.body.objective).toHaveLength(2);
    expect(res.body.lambda).toBeGreaterThan(0);
    for (const row of res.body.power) for (const p of row) expect(p).toBeGreaterThanOrEqual(0);
  });

  test('ipm matches exact on fdma-delay', async () => {
    const res = await post({ problem: 'fdma-delay', gains: G5, solver: 'ipm' });
    expect(res.status).toBe(200);
    expectMatchesContract('allocate', 200, res.body);
    const ref = solveBatch('fdma-delay', 'exact', [G5]);
    expect(res.body.objective).toBeCloseTo(ref.objective[0], 5);
  });

  test('dnn (default solver) answers from the routed model', async () => {
    const res = await post({ problem: 'fdma-delay', gains: G5 });
    expect(res.status).toBe(200);
    expectMatchesContract('allocate', 200, res.body);
    expect(res.body).toMatchObject({ solver: 'dnn', model: 'alloc-routed', n: 5, batch: false });
    const s = G5.reduce((a, b) => a + b, 0);
    res.body.power.forEach((p: number, i: number) => expect(p).toBeCloseTo((10 * G5[i]) / s, 9));
  });

  test('dnn batch of 256 and scheme / model selection', async () => {
    const gains = Array.from({ length: 256 }, (_, i) => Array.from({ length: 8 }, (_, j) => 0.1 + ((i + j) % 5)));
    const res = await post({ problem: 'sum-capacity', gains, solver: 'dnn' });
    expect(res.status).toBe(200);
    expectMatchesContract('allocate', 200, res.body);
    expect(res.body.power).toHaveLength(256);
    const naive = await post({ problem: 'fdma-delay', gains: G5, scheme: 'naive' });
    expect(naive.status).toBe(200);
    expect(naive.body.model).toBe('alloc-naive');
    const byName = await post({ problem: 'fdma-delay', gains: G5, model: 'alloc-naive' });
    expect(byName.body.model).toBe('alloc-naive');
  });

  test.each([
    ['N not served by the dnn', 422, 'unsupported-size', { problem: 'fdma-delay', gains: [1, 2, 3] }, /served sizes: 5, 8/],
    ['N served by another scheme only', 422, 'unsupported-size', { problem: 'fdma-delay', gains: [1, 2, 3, 4, 5, 6, 7, 8], scheme: 'naive' }, /served sizes: 5\b/],
    ['unknown scheme', 422, 'unknown-model', { problem: 'fdma-delay', gains: G5, scheme: 'single-task' }, /scheme 'single-task'.*naive, routed/],
    ['unknown model', 422, 'unknown-model', { problem: 'fdma-delay', gains: G5, model: 'nope' }, /'nope'/],
    ['ipm for sum-capacity', 422, 'unsupported-solver', { problem: 'sum-capacity', gains: G5, solver: 'ipm' }, /fdma-delay only/],
    ['ipm above its N limit', 422, 'too-many-users', { problem: 'fdma-delay', gains: Array(300).fill(1), solver: 'ipm' }, /N <= 256/],
    ['sum-capacity exact above its N limit', 422, 'too-many-users', { problem: 'sum-capacity', gains: Array(65).fill(1), solver: 'exact' }, /N <= 64/],
    ['ragged batch', 422, 'invalid-gains', { problem: 'sum-capacity', gains: [[1, 2], [1]], solver: 'exact' }, /gains\/1: has 1 gains but gains\/0 has 2/],
    ['zero gain for fdma-delay', 422, 'invalid-gains', { problem: 'fdma-delay', gains: [1, 0, 2], solver: 'exact' }, /gains\/1: must be > 0/],
    ['zero gain in a batch', 422, 'invalid-gains', { problem: 'fdma-delay', gains: [[1, 2], [3, 0]], solver: 'exact' }, /gains\/1\/1: must be > 0/],
    ['dnn output not finite (a model bug)', 500, 'non-finite-output', { problem: 'sum-capacity', gains: [0.123, 2, 3, 4, 2], model: 'alloc-broken' }, /non-finite/],
  ])('%s -> %i %s', async (_name, status, code, body, detail) => {
    const res = await post(body);
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.code).toBe(code);
    expect(res.body.detail).toMatch(detail);
    expectMatchesContract('allocate', status, res.body);
    expect(JSON.stringify(res.body)).not.toMatch(/NaN|at .*\.ts:\d+/);
  });

  test('zero gains are fine for sum-capacity', async () => {
    const res = await post({ problem: 'sum-capacity', gains: [0, 1, 2, 0, 1], solver: 'exact' });
    expect(res.status).toBe(200);
  });

  test('allocations are counted in /metrics', async () => {
    const res = await request(t.app).get('/metrics');
    expect(res.text).toMatch(/radio_mtl_allocations_total\{solver="exact",problem="fdma-delay"\} \d+/);
    expect(res.text).toMatch(/radio_mtl_dnn_batch_rows_bucket/);
  });
});

describe('dnn before any allocation model is loaded', () => {
  test('503 model-not-loaded while loading, and when no model exists', async () => {
    const empty = makeTempDir();
    try {
      const loading = await makeApp(empty.dir, {}, false);
      let res = await request(loading.app).post('/v1/allocate').send({ problem: 'fdma-delay', gains: G5 });
      expect(res.status).toBe(503);
      expect(res.body.code).toBe('model-not-loaded');
      expect(res.body.detail).toMatch(/still loading/);
      expect(res.headers['retry-after']).toBe('1');
      const none = await makeApp(empty.dir);
      res = await request(none.app).post('/v1/allocate').send({ problem: 'fdma-delay', gains: G5 });
      expect(res.status).toBe(503);
      expect(res.body.detail).toMatch(/no allocation model is loaded/);
      res = await request(none.app).post('/v1/allocate').send({ problem: 'fdma-delay', gains: G5, solver: 'exact' });
      expect(res.status).toBe(200);
    } finally {
      empty.cleanup();
    }
  });
});
