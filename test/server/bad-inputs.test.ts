/** A table of bad requests: each gets the documented status, a problem+json body naming the field, no stack trace. */
import { join } from 'node:path';
import request from 'supertest';
import { makeTempDir } from '../helpers/tmp.js';
import { expectMatchesContract, makeApp, saveFakeAllocationModel, saveFakeKpiModel, type TestApp } from './helpers.js';

let tmp: ReturnType<typeof makeTempDir>;
let t: TestApp;

beforeAll(async () => {
  tmp = makeTempDir();
  await saveFakeAllocationModel(join(tmp.dir, 'alloc'));
  await saveFakeKpiModel(join(tmp.dir, 'kpi'), 4);
  t = await makeApp(tmp.dir, { maxBodyBytes: 4096 });
});
afterAll(() => tmp.cleanup());

const W = [
  [-95, -11, 12],
  [-95.5, -11.2, 12.1],
  [-96, -11.5, 11],
  [-96.5, -11.4, 10],
];

type Case = [name: string, path: string, body: string | object, status: number, code: string, field: string | null, contentType?: string];

const CASES: Case[] = [
  ['malformed JSON', '/v1/allocate', '{"problem": "fdma-delay", "gains": [1, 2', 400, 'invalid-json', null],
  ['JSON that is not an object', '/v1/allocate', '[1, 2, 3]', 400, 'invalid-request', '/'],
  ['missing problem', '/v1/allocate', { gains: [1, 2] }, 400, 'invalid-request', '/problem'],
  ['unknown problem', '/v1/allocate', { problem: 'max-rate', gains: [1, 2] }, 400, 'invalid-request', '/problem'],
  ['unknown solver', '/v1/allocate', { problem: 'fdma-delay', gains: [1, 2], solver: 'magic' }, 400, 'invalid-request', '/solver'],
  ['unknown property', '/v1/allocate', { problem: 'fdma-delay', gains: [1, 2], gain: 3 }, 400, 'invalid-request', '/gain'],
  ['gains not an array', '/v1/allocate', { problem: 'fdma-delay', gains: 'high' }, 400, 'invalid-request', '/gains'],
  ['empty gains', '/v1/allocate', { problem: 'fdma-delay', gains: [] }, 400, 'invalid-request', '/gains'],
  ['negative gain', '/v1/allocate', { problem: 'sum-capacity', gains: [1, -0.5, 2] }, 422, 'invalid-gains', '/gains/1'],
  ['negative gain in a batch', '/v1/allocate', { problem: 'sum-capacity', gains: [[1, 2], [0.5, -2]] }, 422, 'invalid-gains', '/gains/1/1'],
  ['string gain', '/v1/allocate', { problem: 'sum-capacity', gains: [1, '2', 3] }, 400, 'invalid-request', '/gains/1'],
  ['negative and string gains: both named', '/v1/allocate', { problem: 'sum-capacity', gains: [1, -2, 'x'] }, 400, 'invalid-request', '/gains/2'],
  ['string gain in a batch', '/v1/allocate', { problem: 'sum-capacity', gains: [[1, 2], [3, 'x']] }, 400, 'invalid-request', '/gains/1/1'],
  ['null gain', '/v1/allocate', { problem: 'sum-capacity', gains: [1, null, 3] }, 400, 'invalid-request', '/gains/1'],
  ['infinite gain (1e999)', '/v1/allocate', '{"problem": "sum-capacity", "gains": [1, 1e999, 3]}', 400, 'invalid-request', '/gains/1'],
  ['N above the schema limit', '/v1/allocate', `{"problem":"sum-capacity","gains":[${Array(1001).fill(1).join(',')}]}`, 400, 'invalid-request', '/gains'],
  ['bad model name', '/v1/allocate', { problem: 'fdma-delay', gains: [1, 2], model: '../etc' }, 400, 'invalid-request', '/model'],
  ['body too large', '/v1/allocate', { problem: 'sum-capacity', gains: Array(1000).fill(0.123456789) }, 413, 'payload-too-large', null],
  ['wrong content type', '/v1/allocate', 'problem=fdma-delay', 415, 'unsupported-media-type', null, 'application/x-www-form-urlencoded'],
  ['no content type', '/v1/allocate', '', 415, 'unsupported-media-type', null, ''],
  ['missing windows', '/v1/kpi/predict', {}, 400, 'invalid-request', '/windows'],
  ['KPI body too large', '/v1/kpi/predict', { windows: [Array(200).fill([-95.123456, -11.123456, 12.123456])] }, 413, 'payload-too-large', null],
  ['KPI wrong content type', '/v1/kpi/predict', '<windows/>', 415, 'unsupported-media-type', null, 'application/xml'],
  ['KPI malformed JSON', '/v1/kpi/predict', '{"windows": [[[1,2,3]]', 400, 'invalid-json', null],
  ['unknown KPI property', '/v1/kpi/predict', { windows: [W], scale: 'x' }, 400, 'invalid-request', '/scale'],
  ['empty windows', '/v1/kpi/predict', { windows: [] }, 400, 'invalid-request', '/windows'],
  ['measurement of 2 values', '/v1/kpi/predict', { windows: [[[-95, -11]]] }, 400, 'invalid-request', '/windows/0/0'],
  ['measurement of 4 values', '/v1/kpi/predict', { windows: [[[-95, -11, 12, 1]]] }, 400, 'invalid-request', '/windows/0/0'],
  ['string measurement', '/v1/kpi/predict', { windows: [[[-95, 'x', 12]]] }, 400, 'invalid-request', '/windows/0/0/1'],
  ['wrong window length', '/v1/kpi/predict', { windows: [W, W.slice(0, 3)] }, 422, 'invalid-window', '/windows/1'],
];

describe.each(CASES)('%s (%s)', (_name, path, body, status, code, field, contentType) => {
  test(`-> ${status} ${code}`, async () => {
    let req = request(t.app).post(path);
    if (contentType !== undefined) {
      if (contentType !== '') req = req.set('Content-Type', contentType);
      req = req.send(body as string);
    } else if (typeof body === 'string') {
      req = req.set('Content-Type', 'application/json').send(body);
    } else {
      req = req.send(body);
    }
    const res = await req;
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status, code, type: `urn:radio-mtl:problem:${code}`, instance: path });
    expect(typeof res.body.title).toBe('string');
    expect(res.body.detail.length).toBeGreaterThan(5);
    if (field !== null) {
      expect(res.body.errors?.map((e: { field: string }) => e.field)).toContain(field);
      const name = field === '/' ? 'body' : field.slice(1);
      expect(res.body.detail).toContain(field === '/' ? 'body' : name);
    }
    expect(JSON.stringify(res.body)).not.toMatch(/NaN|Infinity|\.ts:\d+|node_modules/);
    expectMatchesContract(path === '/v1/allocate' ? 'allocate' : 'predictKpi', status, res.body);
  });
});

describe('field errors under oneOf (one vector or a batch)', () => {
  test.each([
    [{ problem: 'sum-capacity', gains: [1, -2, 'x'] }, ['/gains/1', '/gains/2']],
    [{ problem: 'sum-capacity', gains: [[1, 2], [1, -3]] }, ['/gains/1/1']],
    [{ problem: 'sum-capacity', gains: [1, null] }, ['/gains/1']],
    [{ problem: 'sum-capacity', gains: [[1, 'a']] }, ['/gains/0/1']],
  ])('%j names exactly %j', async (body, fields) => {
    const res = await request(t.app).post('/v1/allocate').send(body);
    expect([400, 422]).toContain(res.status);
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(fields);
  });
});
