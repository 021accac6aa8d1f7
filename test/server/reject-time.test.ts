/**
 * Rejecting a body costs time linear in its size: a large invalid body up to the body limit
 * is refused in about the time JSON.parse takes to read it (schema errors are not collected
 * item by item for huge arrays, which took seconds). The absolute reject time on a quiet
 * machine is measured by `npm run bench:server`; here it is compared with JSON.parse on the
 * same machine at the same moment, so the check holds whatever the load.
 */
import { join } from 'node:path';
import request from 'supertest';
import { makeTempDir } from '../helpers/tmp.js';
import { makeApp, saveFakeAllocationModel, saveFakeKpiModel, type TestApp } from './helpers.js';

let tmp: ReturnType<typeof makeTempDir>;
let t: TestApp;

beforeAll(async () => {
  tmp = makeTempDir();
  await saveFakeAllocationModel(join(tmp.dir, 'alloc'));
  await saveFakeKpiModel(join(tmp.dir, 'kpi'), 4);
  t = await makeApp(tmp.dir);
});
afterAll(() => tmp.cleanup());

/** Best of five: the reject time of one body and the time JSON.parse takes on it, ms. */
async function rejectMs(path: string, body: string): Promise<{ ms: number; parseMs: number; status: number; code: string; error?: string }> {
  let best = Infinity;
  let parseMs = Infinity;
  let last: { status: number; code: string; error?: string } = { status: 0, code: '' };
  for (let i = 0; i < 5; i++) {
    let started = performance.now();
    JSON.parse(body);
    parseMs = Math.min(parseMs, performance.now() - started);
    started = performance.now();
    const res = await request(t.app).post(path).set('Content-Type', 'application/json').send(body);
    best = Math.min(best, performance.now() - started);
    last = { status: res.status, code: res.body.code, error: res.body.error };
  }
  return { ms: best, parseMs, ...last };
}

const MiB = 1024 * 1024;
const fill = (n: number, v: string) => Array(n).fill(v).join(',');

test.each([
  ['100k gains', '/v1/allocate', `{"problem":"fdma-delay","gains":[${fill(100_000, '1')}]}`],
  ['gains filling the body limit', '/v1/allocate', `{"problem":"fdma-delay","gains":[${fill(Math.floor((MiB - 64) / 2), '1')}]}`],
  ['strings filling the body limit', '/v1/allocate', `{"problem":"fdma-delay","gains":[${fill(Math.floor((MiB - 64) / 4), '"a"')}]}`],
  ['a batch of 1000 x 100 rows', '/v1/allocate', `{"problem":"fdma-delay","gains":[${fill(1000, `[${fill(100, '1')}]`)}, 5]}`],
  ['32k KPI windows', '/v1/kpi/predict', `{"windows":[${fill(32_000, '[[1,2,3]]')}]}`],
  ['KPI strings filling the body limit', '/v1/kpi/predict', `{"windows":[[${fill(Math.floor((MiB - 64) / 4), '"a"')}]]}`],
])('%s: refused with 400 in about the time of JSON.parse', async (_name, path, body) => {
  expect(body.length).toBeLessThanOrEqual(MiB);
  const r = await rejectMs(path, body);
  expect(r.status).toBe(400);
  expect(r.code).toBe('invalid-request');
  // Reading the body, parsing it, validating it and answering: a few parses' worth (the
  // quadratic validation this guards against took seconds).
  expect(r.ms).toBeLessThan(10 * r.parseMs + 100);
});

const v2Gains = (n: number, v: string) => `{"parameters":{"problem":"fdma-delay"},"inputs":[{"name":"gains","shape":[1,${n}],"datatype":"FP64","data":[${fill(n, v)}]}]}`;

// The Open Inference Protocol translates its tensor into the /v1 request: the translation
// must stay linear too (Array#flat(Infinity) once took 100-250 ms on these bodies).
test.each([
  ['gains filling the body limit', v2Gains(Math.floor((MiB - 200) / 2), '1')],
  ['strings filling the body limit', v2Gains(Math.floor((MiB - 200) / 4), '"a"')],
])('/v2 infer, %s: refused with 400 in about the time of JSON.parse', async (_name, body) => {
  expect(body.length).toBeLessThanOrEqual(MiB);
  const r = await rejectMs('/v2/models/alloc/infer', body);
  expect(r.status).toBe(400);
  expect(r.error).toMatch(/^gains\/0: must NOT have more than \d+ items$/);
  expect(r.ms).toBeLessThan(10 * r.parseMs + 100);
});

test('one rule broken by many items is reported once, with a count', async () => {
  const window = Array.from({ length: 4 }, () => [-95, -11]);
  const res = await request(t.app).post('/v1/kpi/predict').send({ windows: [window] });
  expect(res.status).toBe(400);
  expect(res.body.errors).toHaveLength(1);
  expect(res.body.errors[0].field).toBe('/windows/0/0');
  expect(res.body.detail).toMatch(/windows\/0\/0: must NOT have fewer than 3 items \(and 3 more items like it\)/);
});
