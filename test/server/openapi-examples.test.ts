/**
 * What Swagger UI offers (/docs) works: every request example of openapi.yaml validates against
 * its operation's schema and the server, with the shipped models (models/), answers it with
 * 200. And the contract's version is the package's, wherever it is shown.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import request from 'supertest';
import { parse } from 'yaml';
import { defaultLoaders } from '../../src/server/loaders.js';
import { loadSpec, OPENAPI_PATH } from '../../src/server/spec.js';
import { captureLogger, makeApp, type TestApp } from './helpers.js';

interface Example {
  path: string;
  method: string;
  operationId: string;
  name: string;
  value: unknown;
}

type Json = Record<string, unknown>;
/** openapi.yaml as written (not as served). */
const file = parse(readFileSync(OPENAPI_PATH, 'utf8')) as { info: { version: string }; paths: Record<string, Record<string, Json>> };

const examples: Example[] = Object.entries(file.paths).flatMap(([path, ops]) =>
  Object.entries(ops).flatMap(([method, op]) => {
    const content = (op.requestBody as { content?: Record<string, { examples?: Record<string, { value: unknown }> }> } | undefined)?.content ?? {};
    return Object.values(content).flatMap((media) =>
      Object.entries(media.examples ?? {}).map(([name, ex]) => ({ path, method, operationId: op.operationId as string, name, value: ex.value })),
    );
  }),
);

let t: TestApp;
beforeAll(async () => {
  t = await makeApp('models', {}, true, await defaultLoaders(captureLogger().logger));
}, 120_000);

it('openapi.yaml has request examples to check', () => {
  expect(examples.map((e) => `${e.operationId}/${e.name}`).sort()).toEqual(expect.arrayContaining(['predictKpi/one', 'allocate/single', 'calibrateKpi/three']));
});

describe.each(examples.map((e) => [`${e.method.toUpperCase()} ${e.path} example '${e.name}'`, e]))('%s', (_label, e) => {
  it('validates against the request schema', () => {
    const validate = loadSpec().request.get(e.operationId);
    expect(validate).toBeDefined();
    const ok = validate?.(e.value);
    expect({ ok, errors: validate?.errors ?? null }).toEqual({ ok: true, errors: null });
  });

  it('is answered with 200 by the server over the shipped models', async () => {
    // A {name} in the path is the shipped model of the example's kind (its name: 'allocation', 'kpi').
    const model = t.ctx.registry.models.find((m) => m.kind === e.name)?.name ?? '';
    const url = e.path.replace('{name}', model);
    const res = await request(t.app)[e.method as 'post'](url).send(e.value as object);
    expect({ status: res.status, body: res.status === 200 ? 'ok' : res.body }).toEqual({ status: 200, body: 'ok' });
  });
});

describe('the version', () => {
  const { version } = JSON.parse(readFileSync(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8')) as { version: string };

  it('of openapi.yaml is the package version', () => {
    expect(file.info.version).toBe(version);
  });

  it('served at /openapi.json and by /v2 is the package version', async () => {
    expect((await request(t.app).get('/openapi.json')).body.info.version).toBe(version);
    expect((await request(t.app).get('/v2')).body.version).toBe(version);
  });
});
