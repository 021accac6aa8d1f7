/**
 * Detection on the Open Inference Protocol (parameter `detect: true`): the same answer as
 * POST /v1/kpi/detect, as tensors; bad tensors and parameters are named.
 */
import { join } from 'node:path';
import request from 'supertest';
import { makeTempDir } from '../../helpers/tmp.js';
import { expectMatchesContract, makeApp, saveFakeKpiModel, type TestApp } from '../helpers.js';

let tmp: ReturnType<typeof makeTempDir>;
let t: TestApp;

beforeAll(async () => {
  tmp = makeTempDir();
  await saveFakeKpiModel(join(tmp.dir, 'kpi'), 4);
  t = await makeApp(tmp.dir);
});
afterAll(() => tmp.cleanup());

const SINR = Array.from({ length: 20 }, (_, i) => (i <= 8 ? 10 + 0.5 * i : i <= 12 ? 14 - 4 * (i - 8) : -2 + 0.5 * (i - 12)));
const rows = SINR.map((s) => [-95, -11, s]);
const times = SINR.map((_, i) => 1_664_895_600_000 + i * 500);

const infer = (body: object) => request(t.app).post('/v2/models/kpi/infer').send(body);

test('rows and timestamps in, the /v1/kpi/detect answer out as tensors', async () => {
  const alerting = { k: 2, m: 2 };
  const v1 = await request(t.app).post('/v1/kpi/detect').send({ rows, timestamps: times, alerting });
  const v2 = await infer({
    id: 'cell-1',
    parameters: { detect: true, alerting: JSON.stringify(alerting) },
    inputs: [
      { name: 'rows', datatype: 'FP64', shape: [20, 3], data: rows },
      { name: 'timestamps', datatype: 'INT64', shape: [20], data: times },
    ],
  });
  expect(v2.status).toBe(200);
  expectMatchesContract('modelInfer', 200, v2.body);
  const out = Object.fromEntries(v2.body.outputs.map((o: { name: string }) => [o.name, o]));
  expect(v2.body.id).toBe('cell-1');
  expect(out.interference_probability).toEqual({ name: 'interference_probability', datatype: 'FP64', shape: [17], data: v1.body.interferenceProbability.slice(3) });
  expect(out.kpi_next.data).toEqual(v1.body.forecast.slice(3).flat());
  expect(out.episodes).toEqual({ name: 'episodes', datatype: 'INT64', shape: [1, 2], data: [10, 14] });
  expect(out.episode_probability.data).toEqual([v1.body.episodes[0].peakProbability, v1.body.episodes[0].meanProbability]);
  const picked = await infer({ parameters: { detect: true }, inputs: [{ name: 'rows', datatype: 'FP32', shape: [20, 3], data: rows.flat() }], outputs: [{ name: 'episodes' }] });
  expect(picked.body.outputs.map((o: { name: string }) => o.name)).toEqual(['episodes']);
});

test.each([
  ['detect not true', { parameters: { detect: 'yes' }, inputs: [{ name: 'rows', datatype: 'FP64', shape: [20, 3], data: rows }] }, /^parameters\/detect: must be true/],
  ['an unknown parameter', { parameters: { detect: true, problem: 'x' }, inputs: [{ name: 'rows', datatype: 'FP64', shape: [20, 3], data: rows }] }, /^parameters\/problem: not a parameter of detection/],
  ['windows instead of rows', { parameters: { detect: true }, inputs: [{ name: 'windows', datatype: 'FP32', shape: [1, 4, 3], data: rows.slice(0, 4) }] }, /^inputs\/0\/name: detection takes the inputs rows and timestamps/],
  ['rows of 2 columns', { parameters: { detect: true }, inputs: [{ name: 'rows', datatype: 'FP64', shape: [30, 2], data: rows.flat() }] }, /^inputs\/0\/shape: rows must have shape \[n, 3\]/],
  ['timestamps of another length', { parameters: { detect: true }, inputs: [{ name: 'rows', datatype: 'FP64', shape: [20, 3], data: rows }, { name: 'timestamps', datatype: 'FP64', shape: [3], data: [1, 2, 3] }] }, /^inputs\/1\/shape: timestamps must have shape \[20\]/],
  ['a null in rows', { parameters: { detect: true }, inputs: [{ name: 'rows', datatype: 'FP64', shape: [2, 3], data: [[-95, -11, 1], [-95, null, 1]] }] }, /^inputs\/0\/data\/4: must be a number/],
  ['alerting that is not JSON', { parameters: { detect: true, alerting: 'k=2' }, inputs: [{ name: 'rows', datatype: 'FP64', shape: [20, 3], data: rows }] }, /^parameters\/alerting: must be the JSON text/],
  ['an alerting rule broken', { parameters: { detect: true, alerting: '{"pOn": 0.4, "pOff": 0.6}' }, inputs: [{ name: 'rows', datatype: 'FP64', shape: [20, 3], data: rows }] }, /^alerting\/pOff: must be in \[0, pOn = 0.4\]/],
])('%s: 4xx {"error"} naming it', async (_name, body, message) => {
  const res = await infer(body);
  expect(res.status).toBeGreaterThanOrEqual(400);
  expect(res.status).toBeLessThan(500);
  expect(res.body.error).toMatch(message);
});
