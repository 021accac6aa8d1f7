import { join } from 'node:path';
import request from 'supertest';
import { DynamicBatcher, QueueFullError } from '../../src/server/batcher.js';
import { makeTempDir } from '../helpers/tmp.js';
import { calls, makeApp, saveFakeAllocationModel } from './helpers.js';

describe('DynamicBatcher', () => {
  test('concurrent submits within max_queue_delay share one run, results go back in order', async () => {
    const runs: number[][][] = [];
    const b = new DynamicBatcher<number[], number>((_k, rows) => {
      runs.push(rows);
      return rows.map((r) => r[0] * 10);
    }, { maxBatchSize: 64, maxQueueDelayUs: 2000, maxQueueSize: 1000 });
    const out = await Promise.all([b.submit('k', [[1]]), b.submit('k', [[2], [3]]), b.submit('k', [[4]])]);
    expect(out).toEqual([[10], [20, 30], [40]]);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toEqual([[1], [2], [3], [4]]);
  });

  test('max_batch_size splits the queue; different keys never share a run', async () => {
    const runs: Array<[string, number]> = [];
    const b = new DynamicBatcher<number[], number>((k, rows) => {
      runs.push([k, rows.length]);
      return rows.map(() => 0);
    }, { maxBatchSize: 4, maxQueueDelayUs: 0, maxQueueSize: 1000 });
    await Promise.all([...Array.from({ length: 10 }, () => b.submit('a', [[1]])), b.submit('b', [[1]])]);
    expect(runs.filter(([k]) => k === 'a').map(([, n]) => n)).toEqual([4, 4, 2]);
    expect(runs.filter(([k]) => k === 'b')).toEqual([['b', 1]]);
  });

  test('queue full -> QueueFullError; a failing run rejects every request of its batch', async () => {
    const b = new DynamicBatcher<number[], number>(() => {
      throw new Error('boom');
    }, { maxBatchSize: 100, maxQueueDelayUs: 1000, maxQueueSize: 3 });
    const p1 = b.submit('k', [[1], [2]]);
    const p2 = b.submit('k', [[3], [4]]);
    await expect(p2).rejects.toBeInstanceOf(QueueFullError);
    await expect(p1).rejects.toThrow('boom');
    await b.idle();
  });
});

describe('dynamic batching through the HTTP API', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  beforeAll(async () => {
    tmp = makeTempDir();
    await saveFakeAllocationModel(join(tmp.dir, 'alloc'));
  });
  afterAll(() => tmp.cleanup());

  test('many single dnn requests share few forward passes; the metrics record batch sizes', async () => {
    const t = await makeApp(tmp.dir, { maxQueueDelayUs: 100_000, maxBatchSize: 16 });
    calls.allocate.length = 0;
    const gains = [0.5, 1, 1.5, 2, 2.5];
    const res = await Promise.all(Array.from({ length: 32 }, () => request(t.app).post('/v1/allocate').send({ problem: 'fdma-delay', gains })));
    for (const r of res) expect(r.status).toBe(200);
    expect(calls.allocate.reduce((a, b) => a + b, 0)).toBe(32);
    expect(calls.allocate.length).toBeLessThan(16);
    expect(Math.max(...calls.allocate)).toBeGreaterThan(1);
    const metrics = await request(t.app).get('/metrics');
    expect(metrics.text).toMatch(new RegExp(`radio_mtl_dnn_batch_rows_count\\{model="allocation:alloc"\\} ${calls.allocate.length}\\b`));
  });

  test('queue full -> 503 queue-full with Retry-After', async () => {
    const t = await makeApp(tmp.dir, { maxQueueDelayUs: 500_000, maxQueueSize: 2 });
    const gains = [0.5, 1, 1.5, 2, 2.5];
    const res = await Promise.all(Array.from({ length: 4 }, () => request(t.app).post('/v1/allocate').send({ problem: 'fdma-delay', gains })));
    const full = res.filter((r) => r.status === 503);
    expect(full.length).toBeGreaterThan(0);
    expect(full[0].body.code).toBe('queue-full');
    expect(full[0].headers['retry-after']).toBe('1');
  });
});
