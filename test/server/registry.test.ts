import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { makeTempDir } from '../helpers/tmp.js';
import { corruptWeights, expectMatchesContract, fakeAllocationLoader, makeApp, saveFakeAllocationModel, saveFakeKpiModel } from './helpers.js';
import type { AllocationServable, ModelLoader } from '../../src/server/registry.js';
import { tf } from '../../src/dnn/engine.js';
import { saveModel } from '../../src/dnn/model-io.js';

let tmp: ReturnType<typeof makeTempDir>;
beforeEach(() => {
  tmp = makeTempDir();
});
afterEach(() => tmp.cleanup());

describe('model registry', () => {
  test('a corrupted model is refused with a log line naming it; the others are served', async () => {
    await saveFakeAllocationModel(join(tmp.dir, 'good'));
    await saveFakeAllocationModel(join(tmp.dir, 'bad'));
    await saveFakeKpiModel(join(tmp.dir, 'kpi'));
    corruptWeights(join(tmp.dir, 'bad'));
    mkdirSync(join(tmp.dir, 'not-a-model'));
    mkdirSync(join(tmp.dir, 'garbled'));
    writeFileSync(join(tmp.dir, 'garbled', 'model.json'), '{"format": "radio-mtl-model", ');
    const t = await makeApp(tmp.dir);
    const refusedLines = t.lines.filter((l) => l.msg && String(l.msg).startsWith('model refused'));
    expect(refusedLines.map((l) => l.model).sort()).toEqual(['bad', 'garbled', 'not-a-model']);
    const bad = refusedLines.find((l) => l.model === 'bad') as Record<string, unknown>;
    expect(bad.level).toBe(50);
    expect(String(bad.reason)).toMatch(/weights\.bin: sha256 .* does not match current\.json/);
    expect(String(bad.msg)).toMatch(/^model refused: bad: .*weights\.bin/);
    expect(t.ctx.registry.refused.find((r) => r.name === 'not-a-model')?.reason).toMatch(/no model here/);

    // Not ready: a rollout with a broken model must not receive traffic. The good models
    // still answer whoever calls them.
    const ready = await request(t.app).get('/v2/health/ready');
    expect(ready.status).toBe(503);
    expectMatchesContract('ready', 503, ready.body);
    expect(ready.body).toEqual({ ready: false, state: 'failed', models: 2, refused: 3, detail: '3 model directories refused (see GET /v1/models): bad, garbled, not-a-model' });
    const models = await request(t.app).get('/v1/models');
    expectMatchesContract('listModels', 200, models.body);
    expect(models.body.models.map((m: { name: string }) => m.name)).toEqual(['good', 'kpi']);
    expect(models.body.refused.map((m: { name: string }) => m.name)).toEqual(['bad', 'garbled', 'not-a-model']);
    const alloc = await request(t.app).post('/v1/allocate').send({ problem: 'fdma-delay', gains: [1, 2, 3, 4, 5] });
    expect(alloc.status).toBe(200);
    expect(alloc.body.model).toBe('good');
    const metrics = await request(t.app).get('/metrics');
    expect(metrics.text).toMatch(/radio_mtl_models_refused 3/);
  });

  test('a model of an unknown family, and one whose warm-up output is not finite, are refused', async () => {
    await saveFakeAllocationModel(join(tmp.dir, 'alloc'));
    const dir = join(tmp.dir, 'other');
    await saveFakeAllocationModel(dir);
    saveModel(dir, { weights: { scale: tf.tensor1d([0.5]) }, manifest: { kind: 'something-else' } });
    const nanLoader: ModelLoader = {
      ...fakeAllocationLoader,
      async load(d, name) {
        const m = await fakeAllocationLoader.load(d, name);
        if (m.kind !== 'allocation') throw new Error('unexpected');
        return { ...m, allocate: (_p, gains) => gains.map((g) => g.map(() => (name === 'alloc' ? NaN : 1))) } satisfies AllocationServable;
      },
    };
    const t = await makeApp(tmp.dir, {}, true, [nanLoader]);
    expect(t.ctx.registry.refused.map((r) => r.name)).toEqual(['alloc', 'other']);
    expect(t.ctx.registry.refused[0].reason).toMatch(/warm-up of fdma-delay N=5 gave a malformed or non-finite allocation/);
    expect(t.ctx.registry.refused[1].reason).toMatch(/matches no model family/);
  });

  test('a models path that is a file is not ready, naming it', async () => {
    const file = join(tmp.dir, 'file');
    writeFileSync(file, 'x');
    const t = await makeApp(file);
    const ready = await request(t.app).get('/v2/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({ ready: false, state: 'failed', models: 0 });
    expect(ready.body.detail).toBe(`--models ${file} is not a directory`);
  });

  test('a missing models directory is not ready, naming it', async () => {
    const t = await makeApp(join(tmp.dir, 'absent'));
    const ready = await request(t.app).get('/v2/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.body).toEqual({ ready: false, state: 'failed', models: 0, refused: 0, detail: `--models ${join(tmp.dir, 'absent')} does not exist` });
  });

  test('every model refused: not ready', async () => {
    await saveFakeAllocationModel(join(tmp.dir, 'bad'));
    corruptWeights(join(tmp.dir, 'bad'));
    const t = await makeApp(tmp.dir);
    const ready = await request(t.app).get('/v2/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({ ready: false, state: 'failed', models: 0, refused: 1 });
  });

  test('an empty models directory is not ready: nothing to serve', async () => {
    const t = await makeApp(tmp.dir);
    const ready = await request(t.app).get('/v2/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.body.detail).toBe(`--models ${tmp.dir} holds no model`);
  });

  test('no models asked for (serve --no-models): ready, serving exact and ipm', async () => {
    const t = await makeApp(null);
    const ready = await request(t.app).get('/v2/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ ready: true, state: 'ready', models: 0, refused: 0 });
  });

  test('a model output that breaks the contract is never sent (500 invalid-response); a throwing model gives 500 internal without a stack trace', async () => {
    await saveFakeAllocationModel(join(tmp.dir, 'alloc'));
    let mode: 'ok' | 'negative' | 'throw' = 'ok';
    const loader: ModelLoader = {
      ...fakeAllocationLoader,
      async load(d, name) {
        const m = await fakeAllocationLoader.load(d, name);
        if (m.kind !== 'allocation') throw new Error('unexpected');
        return {
          ...m,
          allocate: (p, gains) => {
            if (mode === 'throw') throw new TypeError('kaboom in the model');
            return gains.map((g) => g.map(() => (mode === 'negative' ? -0.01 : 1)));
          },
        } satisfies AllocationServable;
      },
    };
    const t = await makeApp(tmp.dir, {}, true, [loader]);
    const body = { problem: 'sum-capacity', gains: [1, 2, 3, 4, 5] };
    expect((await request(t.app).post('/v1/allocate').send(body)).status).toBe(200);
    mode = 'negative';
    const neg = await request(t.app).post('/v1/allocate').send(body);
    expect(neg.status).toBe(500);
    expect(neg.body.code).toBe('invalid-response');
    expectMatchesContract('allocate', 500, neg.body);
    expect(t.lines.some((l) => l.msg === 'response failed validation against openapi.yaml')).toBe(true);
    mode = 'throw';
    const boom = await request(t.app).post('/v1/allocate').send(body);
    expect(boom.status).toBe(500);
    expect(boom.body).toMatchObject({ code: 'internal', detail: 'an internal error occurred; it has been logged' });
    expect(JSON.stringify(boom.body)).not.toMatch(/kaboom|\.ts:\d+/);
    const logged = t.lines.find((l) => l.msg === 'internal error') as { err?: { message?: string } };
    expect(logged?.err?.message).toBe('kaboom in the model');
  });
});
