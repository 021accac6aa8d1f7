/**
 * POST /v1/kpi/detect over the fake KPI model (window 4; probability = logistic of the window's
 * SINR drop, first row minus last): per-row answers, episodes from the alerting rule, times,
 * the route's own body limit, and bad input named by its field.
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

/**
 * SINR rising 0.5 dB a row (windows see a drop of -1.5: p = 0.18), falling 4 dB a row over rows
 * 9-12, rising again: the windows ending at rows 9..14 see a drop (p >= 0.95), the others do not.
 */
const SINR = Array.from({ length: 20 }, (_, i) => (i <= 8 ? 10 + 0.5 * i : i <= 12 ? 14 - 4 * (i - 8) : -2 + 0.5 * (i - 12)));
const rows = SINR.map((s) => [-95, -11, s]);
const times = SINR.map((_, i) => new Date(Date.UTC(2022, 9, 4, 15, 0, 0) + i * 500).toISOString());

const detect = (body: object) => request(t.app).post('/v1/kpi/detect').send(body);

test('per-row probability (null for the first window - 1 rows) and forecast, episodes from the rule', async () => {
  const res = await detect({ rows, timestamps: times, alerting: { k: 2, m: 2 } });
  expect(res.status).toBe(200);
  expectMatchesContract('detectKpi', 200, res.body);
  const p = res.body.interferenceProbability as Array<number | null>;
  expect(p.slice(0, 3)).toEqual([null, null, null]);
  // Row 10's window is rows 7..10: SINR 13.5 -> 6, a drop of 7.5.
  expect(p[10]).toBeCloseTo(1 / (1 + Math.exp(-7.5)), 10);
  expect(p[7]).toBeCloseTo(1 / (1 + Math.exp(1.5)), 10);
  // The fake forecast is the last row plus its bias [0.5, -0.25, 1].
  expect(res.body.forecast[9]).toEqual([-94.5, -11.25, 11]);
  expect(res.body.forecast[0]).toBeNull();
  // Rows 9..14 are at or above 0.5: k = 2 raises at row 10; rows 15, 16 below clear it (m = 2), so it ends at 14.
  expect(res.body.alerting).toEqual({ k: 2, pOn: 0.5, m: 2, pOff: 0.2, maxGapS: 10 });
  expect(res.body.episodes).toHaveLength(1);
  const [e] = res.body.episodes;
  expect(e).toMatchObject({ start: 10, end: 14, startTime: times[10], endTime: times[14], durationS: 2 });
  const inside = p.slice(e.start, e.end + 1) as number[];
  expect(e.peakProbability).toBeCloseTo(Math.max(...inside), 12);
  expect(e.meanProbability).toBeCloseTo(inside.reduce((a, b) => a + b, 0) / inside.length, 12);
});

test('without timestamps: episodes without times; epoch ms timestamps work like ISO text', async () => {
  const plain = await detect({ rows, alerting: { k: 2, m: 2 } });
  expect(plain.status).toBe(200);
  expect(plain.body.episodes[0].startTime).toBeUndefined();
  const epoch = await detect({ rows, timestamps: times.map((s) => Date.parse(s)), alerting: { k: 2, m: 2 } });
  const iso = await detect({ rows, timestamps: times, alerting: { k: 2, m: 2 } });
  expect(epoch.body.episodes).toEqual(iso.body.episodes);
  expect(plain.body.episodes.map((e: { start: number; end: number }) => [e.start, e.end])).toEqual(iso.body.episodes.map((e: { start: number; end: number }) => [e.start, e.end]));
});

test('a timestamp gap longer than maxGapS ends an episode', async () => {
  const gappy = times.map((s, i) => (i >= 12 ? new Date(Date.parse(s) + 60_000).toISOString() : s));
  const res = await detect({ rows, timestamps: gappy, alerting: { k: 1, m: 2, maxGapS: 30 } });
  expect(res.status).toBe(200);
  expect(res.body.episodes.map((e: { start: number; end: number }) => [e.start, e.end])).toEqual([
    [9, 11],
    [12, 14],
  ]);
  const joined = await detect({ rows, timestamps: gappy, alerting: { k: 1, m: 2, maxGapS: 120 } });
  expect(joined.body.episodes.map((e: { start: number; end: number }) => [e.start, e.end])).toEqual([[9, 14]]);
});

test('a window with too many missing values gets null and is counted; the others are answered', async () => {
  const gappyRows = rows.map((r, i) => (i === 10 ? [null, null, null] : r));
  const res = await detect({ rows: gappyRows });
  expect(res.status).toBe(200);
  // Windows ending at 10..13 hold row 10: 3 of 12 values null (> 20%), refused.
  expect(res.body.refusedWindows).toBe(4);
  expect(res.body.interferenceProbability.slice(10, 14)).toEqual([null, null, null, null]);
  expect(res.body.interferenceProbability[14]).not.toBeNull();
});

test('100,000 rows in one request (over the default body limit of the other routes)', async () => {
  const many = Array.from({ length: 100_000 }, (_, i) => [-95.123, -11.456, 10 + (i % 7)]);
  const res = await detect({ rows: many });
  expect(res.status).toBe(200);
  expect(res.body.interferenceProbability).toHaveLength(100_000);
  expect(res.body.interferenceProbability.filter((p: number | null) => p === null)).toHaveLength(3);
  const tooMany = await detect({ rows: [...many, [-95, -11, 10]] });
  expect(tooMany.status).toBe(400);
  expect(tooMany.body.errors[0].field).toBe('/rows');
}, 60_000);

test.each([
  ['timestamps of another length', { rows, timestamps: times.slice(1) }, 422, 'invalid-series', '/timestamps'],
  ['a timestamp that is not one', { rows, timestamps: times.map((s, i) => (i === 3 ? 'soon' : s)) }, 422, 'invalid-series', '/timestamps/3'],
  ['timestamps out of order', { rows, timestamps: [...times].reverse() }, 422, 'invalid-series', '/timestamps/1'],
  ['pOff above pOn', { rows, alerting: { pOn: 0.5, pOff: 0.7 } }, 422, 'invalid-series', '/alerting/pOff'],
  ['k of 0', { rows, alerting: { k: 0 } }, 422, 'invalid-series', '/alerting/k'],
  ['an unknown alerting field', { rows, alerting: { kk: 2 } }, 400, 'invalid-request', '/alerting/kk'],
  ['an SINR above its reporting range', { rows: [[-95, -11, 12], [-95, -11, 99]] }, 422, 'invalid-series', '/rows/1/2'],
  ['no rows', { timestamps: [] }, 400, 'invalid-request', '/rows'],
  ['a malformed profile', { rows, profile: { kind: 'kpi-profile' } }, 422, 'invalid-profile', '/profile/version'],
  ['an unknown model', { rows, model: 'nope' }, 422, 'unknown-model', undefined],
])('%s: %i %s naming %s', async (_name, body, status, code, field) => {
  const res = await detect(body);
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
  expect(res.body.code).toBe(code);
  if (field !== undefined) expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
});
