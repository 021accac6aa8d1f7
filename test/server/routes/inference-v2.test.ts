/**
 * Open Inference Protocol (KServe V2) conformance per endpoint, with the fake models: server
 * and model metadata, model readiness, inference tensors (names, datatypes, shapes, nested or
 * flat data, requested outputs), protocol-shaped errors ({"error"} with 400 / 404), and the
 * same numbers as /v1 for the same inputs.
 */
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import request from 'supertest';
import { VERSION } from '../../../src/version.js';
import { makeTempDir } from '../../helpers/tmp.js';
import { expectMatchesContract, makeApp, saveFakeAllocationModel, saveFakeKpiModel, type TestApp } from '../helpers.js';

let tmp: ReturnType<typeof makeTempDir>;
let t: TestApp;
const WINDOW = 4;
const W = [
  [-95, -11, 12],
  [-95.5, -11.2, 12.1],
  [-96, -11.5, 11],
  [-96.5, -11.4, 10],
];
const ROWS = [
  [0.8, 1.7, 0.3, 2.4, 1.1],
  [1.2, 0.4, 0.9, 0.1, 3.0],
];

beforeAll(async () => {
  tmp = makeTempDir();
  await saveFakeAllocationModel(join(tmp.dir, 'alloc'));
  await saveFakeKpiModel(join(tmp.dir, 'kpi'), WINDOW);
  t = await makeApp(tmp.dir);
});
afterAll(() => tmp.cleanup());

const gainsInput = (rows: number[][], datatype = 'FP64') => ({ name: 'gains', shape: [rows.length, rows[0].length], datatype, data: rows.flat() });
const windowsInput = (windows: number[][][], datatype = 'FP32') => ({ name: 'windows', shape: [windows.length, windows[0].length, 3], datatype, data: windows.flat(2) });
const infer = (model: string, body: unknown) => request(t.app).post(`/v2/models/${model}/infer`).send(body as object);

/** The status of a POST with no Content-Type header at all (as tritonclient's HTTP client sends). */
async function postWithoutContentType(path: string, body: string): Promise<number> {
  const server = t.app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  try {
    return await new Promise<number>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port: (server.address() as AddressInfo).port, path, method: 'POST', headers: { 'Content-Length': Buffer.byteLength(body) } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.once('error', reject);
      req.end(body);
    });
  } finally {
    server.close();
  }
}

/** A protocol error: the status, application/json and exactly {"error": "..."} matching `detail`. */
function expectInferenceError(res: request.Response, status: number, detail: RegExp): void {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  expect(Object.keys(res.body)).toEqual(['error']);
  expect(res.body.error).toMatch(detail);
}

describe('GET /v2 and model metadata', () => {
  test('server metadata: name, version, extensions', async () => {
    const res = await request(t.app).get('/v2');
    expect(res.status).toBe(200);
    expectMatchesContract('serverMetadata', 200, res.body);
    expect(res.body).toEqual({ name: 'radio-mtl', version: VERSION, extensions: [] });
  });

  test('allocation model: gains [batch, N] in; power, objective and solved_by out', async () => {
    const res = await request(t.app).get('/v2/models/alloc');
    expect(res.status).toBe(200);
    expectMatchesContract('modelMetadata', 200, res.body);
    expect(res.body).toMatchObject({
      name: 'alloc',
      versions: [t.ctx.registry.byName('alloc')!.version],
      platform: 'radio-mtl/allocation',
      inputs: [{ name: 'gains', datatype: 'FP64', shape: [-1, -1] }],
      outputs: [
        { name: 'power', datatype: 'FP64', shape: [-1, -1] },
        { name: 'objective', datatype: 'FP64', shape: [-1] },
        { name: 'solved_by', datatype: 'BYTES', shape: [-1] },
      ],
      parameters: { kind: 'allocation', scheme: 'routed', 'sizes.fdma-delay': '5,8', 'sizes.sum-capacity': '5,8' },
    });
  });

  test('KPI model: windows [batch, window, 3] FP32 in; interference_probability, kpi_next and extrapolated out', async () => {
    const res = await request(t.app).get('/v2/models/kpi');
    expect(res.status).toBe(200);
    expectMatchesContract('modelMetadata', 200, res.body);
    expect(res.body).toMatchObject({
      name: 'kpi',
      platform: 'radio-mtl/kpi',
      inputs: [{ name: 'windows', datatype: 'FP32', shape: [-1, WINDOW, 3] }],
      outputs: [
        { name: 'interference_probability', datatype: 'FP64', shape: [-1] },
        { name: 'kpi_next', datatype: 'FP64', shape: [-1, 3] },
        { name: 'extrapolated', datatype: 'BOOL', shape: [-1] },
      ],
      parameters: { kind: 'kpi', architecture: 'fake', detect: expect.stringMatching(/^parameter detect=true/) },
    });
  });

  test('model ready: 200 for a loaded model; unknown models are 404 {"error"} on every model endpoint', async () => {
    const ready = await request(t.app).get('/v2/models/kpi/ready');
    expect(ready.status).toBe(200);
    expectMatchesContract('modelReady', 200, ready.body);
    expect(ready.body).toEqual({ name: 'kpi', ready: true });
    for (const res of [await request(t.app).get('/v2/models/nope'), await request(t.app).get('/v2/models/nope/ready'), await infer('nope', { inputs: [gainsInput(ROWS)] })]) {
      expectInferenceError(res, 404, /^model 'nope' is not loaded \(loaded: alloc, kpi\)$/);
    }
    expectMatchesContract('modelMetadata', 404, (await request(t.app).get('/v2/models/nope')).body);
  });

  test('unknown /v2 paths and wrong methods answer {"error"} too', async () => {
    expectInferenceError(await request(t.app).get('/v2/models/alloc/explain'), 404, /no such endpoint/);
    const get = await request(t.app).get('/v2/models/alloc/infer');
    expectInferenceError(get, 405, /only POST/);
    expect(get.headers.allow).toBe('POST');
  });
});

describe('versioned paths: /v2/models/{name}/versions/{version}[/ready|/infer]', () => {
  const version = () => (t.ctx.registry.byName('alloc') as { version: string }).version;

  test('the version listed in the metadata serves metadata, readiness and inference exactly as the unversioned paths', async () => {
    const meta = await request(t.app).get('/v2/models/alloc');
    expect(meta.body.versions).toEqual([version()]);
    const base = `/v2/models/alloc/versions/${version()}`;
    const vMeta = await request(t.app).get(base);
    expect(vMeta.status).toBe(200);
    expectMatchesContract('modelMetadata', 200, vMeta.body);
    expect(vMeta.body).toEqual(meta.body);
    const vReady = await request(t.app).get(`${base}/ready`);
    expect([vReady.status, vReady.body]).toEqual([200, { name: 'alloc', ready: true }]);
    const body = { id: 'v', parameters: { problem: 'fdma-delay' }, inputs: [gainsInput(ROWS)] };
    const vInfer = await request(t.app).post(`${base}/infer`).send(body);
    expect(vInfer.status).toBe(200);
    expectMatchesContract('modelInfer', 200, vInfer.body);
    expect(vInfer.body).toEqual((await infer('alloc', body)).body);
    expect(vInfer.body.model_version).toBe(version());
  });

  test('an unknown version is 404 {"error"} naming the version served, on all three paths; an unknown model too', async () => {
    for (const [method, suffix] of [['get', ''], ['get', '/ready'], ['post', '/infer']] as const) {
      const res = await request(t.app)[method](`/v2/models/alloc/versions/1${suffix}`).send(method === 'post' ? { inputs: [gainsInput(ROWS)] } : undefined);
      expectInferenceError(res, 404, new RegExp(`^model 'alloc' has no version '1' \\(it serves version ${version()}\\)$`));
      const unknown = await request(t.app)[method](`/v2/models/nope/versions/${version()}${suffix}`).send(method === 'post' ? { inputs: [gainsInput(ROWS)] } : undefined);
      expectInferenceError(unknown, 404, /^model 'nope' is not loaded/);
    }
  });

  test('a wrong method on a versioned path is 405 {"error"}', async () => {
    const res = await request(t.app).post(`/v2/models/alloc/versions/${version()}`);
    expectInferenceError(res, 405, /only GET is allowed/);
  });
});

describe('POST /v2/models/{name}/infer', () => {
  test('allocation: the same numbers as /v1, FP32 or FP64, nested or flat data; the request id is echoed', async () => {
    const v1 = await request(t.app).post('/v1/allocate').send({ problem: 'fdma-delay', gains: ROWS, model: 'alloc' });
    expect(v1.status).toBe(200);
    const res = await infer('alloc', { id: 'r-1', parameters: { problem: 'fdma-delay' }, inputs: [gainsInput(ROWS)] });
    expect(res.status).toBe(200);
    expectMatchesContract('modelInfer', 200, res.body);
    expect(res.body).toEqual({
      model_name: 'alloc',
      model_version: t.ctx.registry.byName('alloc')!.version,
      id: 'r-1',
      outputs: [
        { name: 'power', datatype: 'FP64', shape: [2, 5], data: v1.body.power.flat() },
        { name: 'objective', datatype: 'FP64', shape: [2], data: v1.body.objective },
        { name: 'solved_by', datatype: 'BYTES', shape: [2], data: v1.body.solvedBy },
      ],
    });
    const nested = await infer('alloc', { parameters: { problem: 'fdma-delay' }, inputs: [{ ...gainsInput(ROWS, 'FP32'), data: ROWS }] });
    expect(nested.status).toBe(200);
    expect(nested.body.outputs).toEqual(res.body.outputs);
  });

  test('allocation: requested outputs only, in the order asked; binary_data parameters are answered as JSON', async () => {
    const res = await infer('alloc', {
      parameters: { problem: 'sum-capacity', binary_data_output: true },
      inputs: [gainsInput(ROWS)],
      outputs: [{ name: 'objective', parameters: { binary_data: true } }, { name: 'power' }],
    });
    expect(res.status).toBe(200);
    expect(res.body.outputs.map((o: { name: string }) => o.name)).toEqual(['objective', 'power']);
  });

  test('KPI: the same numbers as /v1', async () => {
    const windows = [W, W.map((r) => [r[0], r[1], 12])];
    const v1 = await request(t.app).post('/v1/kpi/predict').send({ windows, model: 'kpi' });
    expect(v1.status).toBe(200);
    const res = await infer('kpi', { inputs: [windowsInput(windows)] });
    expect(res.status).toBe(200);
    expectMatchesContract('modelInfer', 200, res.body);
    const p = v1.body.predictions as Array<{ rsrp: number; rsrq: number; sinr: number; interferenceProbability: number; extrapolated: boolean }>;
    expect(res.body.outputs).toEqual([
      { name: 'interference_probability', datatype: 'FP64', shape: [2], data: p.map((x) => x.interferenceProbability) },
      { name: 'kpi_next', datatype: 'FP64', shape: [2, 3], data: p.flatMap((x) => [x.rsrp, x.rsrq, x.sinr]) },
      { name: 'extrapolated', datatype: 'BOOL', shape: [2], data: p.map((x) => x.extrapolated) },
    ]);
  });

  test('KPI: windows sent as FP64 (a numpy client\'s default) are converted: the same answer as FP32; other datatypes stay refused', async () => {
    const windows = [W, W.map((r) => [r[0], r[1], 12])];
    const fp32 = await infer('kpi', { inputs: [windowsInput(windows)] });
    const fp64 = await infer('kpi', { inputs: [windowsInput(windows, 'FP64')] });
    expect(fp64.status).toBe(200);
    expectMatchesContract('modelInfer', 200, fp64.body);
    expect(fp64.body).toEqual(fp32.body);
    for (const datatype of ['FP16', 'INT32', 'BOOL', 'BYTES']) {
      expectInferenceError(await infer('kpi', { inputs: [windowsInput(windows, datatype)] }), 400, new RegExp(`^inputs/0/datatype: windows must be FP32 or FP64, got ${datatype}$`));
    }
  });

  const ok = { parameters: { problem: 'fdma-delay' }, inputs: [gainsInput(ROWS)] };
  test.each([
    ['a wrong datatype', 'alloc', { ...ok, inputs: [gainsInput(ROWS, 'INT32')] }, /^inputs\/0\/datatype: gains must be FP64 or FP32, got INT32$/],
    ['a wrong rank', 'alloc', { ...ok, inputs: [{ ...gainsInput(ROWS), shape: [10] }] }, /^inputs\/0\/shape: gains must have shape \[batch, N\], got \[10\]$/],
    ['data not filling the shape', 'alloc', { ...ok, inputs: [{ ...gainsInput(ROWS), shape: [2, 4] }] }, /^inputs\/0\/data: has 10 values but shape \[2, 4\] holds 8$/],
    ['an unknown input', 'alloc', { ...ok, inputs: [{ ...gainsInput(ROWS), name: 'x' }] }, /^inputs\/0\/name: model 'alloc' has no input 'x' \(its inputs: gains\)$/],
    ['a missing input', 'alloc', { ...ok, inputs: [] }, /^inputs: must NOT have fewer than 1 items$/],
    ['a repeated input', 'alloc', { ...ok, inputs: [gainsInput(ROWS), gainsInput(ROWS)] }, /^inputs\/1\/name: input 'gains' is given twice$/],
    ['no problem parameter', 'alloc', { inputs: [gainsInput(ROWS)] }, /^parameters\/problem: is required \(fdma-delay or sum-capacity\)$/],
    ['a wrong problem', 'alloc', { ...ok, parameters: { problem: 'x' } }, /^problem: must be one of "fdma-delay", "sum-capacity"$/],
    ['an unknown parameter', 'alloc', { ...ok, parameters: { problem: 'fdma-delay', seed: 3 } }, /^parameters\/seed: not a parameter of model 'alloc' \(it takes: problem\)$/],
    ['a profile that is not JSON text', 'kpi', { parameters: { profile: 'x' }, inputs: [windowsInput([W])] }, /^parameters\/profile: must be the JSON text of a profile from POST \/v1\/kpi\/calibrate$/],
    ['an unknown output', 'alloc', { ...ok, outputs: [{ name: 'delay' }] }, /^outputs\/0\/name: model 'alloc' has no output 'delay' \(its outputs: power, objective, solved_by\)$/],
    ['a size the model does not serve', 'alloc', { ...ok, inputs: [gainsInput([[1, 2, 3]])] }, /N = 3 is not served by model 'alloc'/],
    ['a gain outside the domain', 'alloc', { ...ok, inputs: [gainsInput([[1, 2, 3, 4, 2e12]])] }, /^gains\/0\/4: must be <= 1000000000000$/],
    ['a non-number in the data', 'alloc', { ...ok, inputs: [{ ...gainsInput(ROWS), data: [...ROWS[0], 'a', 1, 1, 1, 1] }] }, /^gains\/1\/0: must be a finite number$/],
    ['a window of the wrong length', 'kpi', { inputs: [windowsInput([W.slice(1)])] }, /^inputs\/0\/shape: windows must have shape \[batch, 4, 3\], got \[1, 3, 3\]$/],
    ['a measurement outside its reporting range', 'kpi', { inputs: [windowsInput([[...W.slice(1), [-95, -11, 41]]])] }, /^windows\/0\/3\/2: must be <= 40$/],
    ['a missing value (null): the protocol has none', 'kpi', { inputs: [{ ...windowsInput([W]), data: [...W.flat().slice(0, 5), null, ...W.flat().slice(6)] }] }, /^inputs\/0\/data\/5: null is not an FP32 value; the protocol has no missing values \(POST \/v1\/kpi\/predict takes null for a missing measurement\)$/],
    ['a malformed body', 'alloc', { inputs: 'x' }, /^inputs: must be array$/],
    ['data nested deeper than the shape', 'alloc', { ...ok, inputs: [{ ...gainsInput(ROWS), data: [ROWS.map((r) => r.map((v) => [v]))] }] }, /^inputs\/0\/data: nested deeper than the shape's 2 dimensions$/],
  ])('%s: 400 {"error"} naming the field and the rule', async (_what, model, body, detail) => {
    const res = await infer(model, body);
    expectInferenceError(res, 400, detail);
    expectMatchesContract('modelInfer', 400, res.body);
  });

  test('data nested 100,000 levels deep (a 200 kB body): 400, not a stack overflow', async () => {
    const depth = 100_000;
    const body = `{"parameters":{"problem":"fdma-delay"},"inputs":[{"name":"gains","shape":[1,1],"datatype":"FP64","data":${'['.repeat(depth)}1${']'.repeat(depth)}}]}`;
    const res = await request(t.app).post('/v2/models/alloc/infer').set('Content-Type', 'application/json').send(body);
    expectInferenceError(res, 400, /^inputs\/0\/data: nested deeper than the shape's 2 dimensions$/);
  });

  test('invalid JSON and bodies over the limit: {"error"} too; a body without Content-Type is read as JSON', async () => {
    const bad = await request(t.app).post('/v2/models/alloc/infer').set('Content-Type', 'application/json').send('{"inputs": [');
    expectInferenceError(bad, 400, /^body: not valid JSON/);
    const big = await request(t.app).post('/v2/models/alloc/infer').set('Content-Type', 'application/json').send(`{"x": "${'a'.repeat(t.ctx.config.maxBodyBytes)}"}`);
    expectInferenceError(big, 413, /over the limit/);
    const text = await request(t.app).post('/v2/models/alloc/infer').set('Content-Type', 'text/plain').send(JSON.stringify(ok));
    expectInferenceError(text, 415, /Content-Type must be application\/json/);
    expect(await postWithoutContentType('/v2/models/alloc/infer', JSON.stringify(ok))).toBe(200);
  });

  test('while shutting down: 503 {"error"} with Retry-After, as on /v1', async () => {
    const closing = await makeApp(tmp.dir);
    closing.ctx.shuttingDown = true;
    const res = await request(closing.app).post('/v2/models/alloc/infer').send(ok);
    expectInferenceError(res, 503, /shutting down/);
    expect(res.headers['retry-after']).toBe('1');
    expectMatchesContract('modelInfer', 503, res.body);
  });

  test('with an API token, the model endpoints need it; server metadata stays open', async () => {
    const secured = await makeApp(tmp.dir, { apiToken: 'tok-123' });
    expectInferenceError(await request(secured.app).post('/v2/models/alloc/infer').send(ok), 401, /Authorization: Bearer/);
    expectInferenceError(await request(secured.app).get('/v2/models/alloc'), 401, /Authorization: Bearer/);
    const authed = await request(secured.app).post('/v2/models/alloc/infer').set('Authorization', 'Bearer tok-123').send(ok);
    expect(authed.status).toBe(200);
    expect((await request(secured.app).get('/v2')).status).toBe(200);
  });
});
