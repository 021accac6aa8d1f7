/**
 * Calibration, stateless: POST /v1/kpi/calibrate turns one cell's unlabelled history into a
 * profile; POST /v1/kpi/predict takes it back and scales the windows as the model's inputs
 * mode prescribes. The shipped model's inputs are `pooled` (one scaler for every cell, as in
 * training), so its profile is accepted and changes nothing; how a profile sets the scaler
 * of the other modes is tested in test/measurements/inputs.test.ts.
 */
import { readFileSync } from 'node:fs';
import { modelFilePath } from '../../../src/dnn/model-io.js';
import request from 'supertest';
import { defaultLoaders } from '../../../src/server/loaders.js';
import { captureLogger, expectMatchesContract, makeApp, type TestApp } from '../helpers.js';

let t: TestApp;
const LVL5 = 'Lvl_5_AllRRUOn_Anomaly_label.csv';
const scalers = (JSON.parse(readFileSync(modelFilePath('models/kpi-ple', 'model.json'), 'utf8')) as { manifest: { scalers: Record<string, { min: number[]; max: number[] }> } }).manifest.scalers;

beforeAll(async () => {
  t = await makeApp('models', {}, true, await defaultLoaders(captureLogger().logger));
});

/** A 35-step window drifting from `start` (an SINR drop makes interference likely). */
const window = (start: number[], sinrDrop: number) => Array.from({ length: 35 }, (_, i) => [start[0] - 0.05 * i, start[1] - 0.01 * i, start[2] - (sinrDrop * i) / 34]);

async function calibrate(rows: unknown[]) {
  return request(t.app).post('/v1/kpi/calibrate').send({ rows });
}

test('calibrate -> predict round trip: the profile is made from the rows, accepted, and the pooled model answers as without it', async () => {
  const s = scalers[LVL5];
  // The scaler of Lvl_5 is the min and max of its training rows: a history with the same extremes.
  const rows = [s.min, s.max, [-100, null, 10], [(s.min[0] + s.max[0]) / 2, -20, null]];
  const cal = await calibrate(rows);
  expect(cal.status).toBe(200);
  expectMatchesContract('calibrateKpi', 200, cal.body);
  expect(cal.body.profile).toMatchObject({ kind: 'kpi-profile', version: 1, rows: 4, min: s.min, max: s.max });
  expect(cal.body.profile.model).toMatch(/^kpi-ple@[0-9a-f]{12}$/);
  const windows = [window([-95, -12, 20], 0), window([-95, -12, 20], 25)];
  const withProfile = await request(t.app).post('/v1/kpi/predict').send({ windows, profile: cal.body.profile });
  const withScaler = await request(t.app).post('/v1/kpi/predict').send({ windows, scaler: LVL5 });
  const pooled = await request(t.app).post('/v1/kpi/predict').send({ windows });
  expect(withProfile.status).toBe(200);
  expectMatchesContract('predictKpi', 200, withProfile.body);
  expect(withProfile.body.scaler).toBe('profile');
  expect(withProfile.body.predictions).toEqual(withScaler.body.predictions);
  // A pooled model scales every cell alike: the default path is what the profile gives.
  expect(pooled.body.predictions).toEqual(withProfile.body.predictions);
  expect(pooled.body.predictions[1].interferenceProbability).toBeGreaterThan(pooled.body.predictions[0].interferenceProbability);
});

test('a malformed profile, one made for another model, or a profile with a scaler: 422 invalid-profile naming the field', async () => {
  const cal = await calibrate([[-95, -11, 12], [-90, -10, 20]]);
  const good = cal.body.profile;
  const windows = [window([-95, -12, 20], 0)];
  const cases: Array<[object, string, RegExp]> = [
    [{ ...good, q90: [1, 2] }, '/profile/q90', /profile\.q90/],
    [{ ...good, model: 'kpi-ple@000000000000' }, '/profile/model', /made for model 'kpi-ple@000000000000'/],
    [{ ...good, extra: 1 }, '/profile', /profile/],
    [{ ...good, version: 2 }, '/profile/version', /profile\.version/],
  ];
  for (const [profile, field, detail] of cases) {
    const res = await request(t.app).post('/v1/kpi/predict').send({ windows, profile });
    expect([res.status, res.body.code]).toEqual([422, 'invalid-profile']);
    expect(res.body.errors[0].field).toBe(field);
    expect(res.body.detail).toMatch(detail);
    expectMatchesContract('predictKpi', 422, res.body);
  }
  const both = await request(t.app).post('/v1/kpi/predict').send({ windows, profile: good, scaler: LVL5 });
  expect([both.status, both.body.code]).toEqual([422, 'invalid-profile']);
});

test('a profile whose statistics are out of order (min > max) or not finite: 422 invalid-profile naming the field, on /v1 and /v2', async () => {
  const good = (await calibrate([[-95, -11, 12], [-90, -10, 20], [-99, -12, 5]])).body.profile;
  const windows = [window([-95, -12, 20], 0)];
  const swapped = { ...good, min: good.max, max: good.min };
  const unordered = { ...good, q10: good.q90, q90: good.q10 };
  const cases: Array<[string, string, RegExp]> = [
    [JSON.stringify(swapped), '/profile/min/0', /profile\.min\.0: .*must not exceed profile\.q10\.0/],
    [JSON.stringify(unordered), '/profile/q10/0', /profile\.q10\.0: .*must not exceed profile\.median\.0/],
    // 1e999 is valid JSON; it parses to Infinity.
    [JSON.stringify(good).replace(/"median":\[[^,\]]+/, '"median":[1e999'), '/profile/median/0', /profile\.median\.0: /],
  ];
  for (const [text, field, detail] of cases) {
    const body = `{"windows": ${JSON.stringify(windows)}, "profile": ${text}}`;
    const res = await request(t.app).post('/v1/kpi/predict').set('Content-Type', 'application/json').send(body);
    expect([res.status, res.body.code, res.body.errors?.[0]?.field]).toEqual([422, 'invalid-profile', field]);
    expect(res.body.detail).toMatch(detail);
    const v2 = await request(t.app)
      .post('/v2/models/kpi-ple/infer')
      .send({ parameters: { profile: text }, inputs: [{ name: 'windows', datatype: 'FP32', shape: [1, 35, 3], data: windows.flat(2) }] });
    expect(v2.status).toBe(400);
    expect(v2.body.error).toMatch(detail);
  }
});

test('calibration rows: nulls accepted, out-of-range refused (422), a column with no value refused naming rows, too many rows 400', async () => {
  expect((await calibrate([[-95, null, 12], [null, -11, null]])).status).toBe(200);
  const out = await calibrate([[-95, -11, 12], [-95, -11, 41]]);
  expect([out.status, out.body.code, out.body.errors[0].field]).toEqual([422, 'invalid-window', '/rows/1/2']);
  const empty = await calibrate([[-95, null, 12], [-96, null, 11]]);
  expect([empty.status, empty.body.code, empty.body.errors[0].field]).toEqual([422, 'invalid-window', '/rows']);
  expect(empty.body.detail).toMatch(/column RSRQ holds no value/);
  const many = await calibrate(Array.from({ length: 100_001 }, () => [-95, -11, 12]));
  expect([many.status, many.body.code]).toEqual([400, 'invalid-request']);
});

test('the body, parsed and validated on a worker thread, is refused as any other: malformed JSON 400, none 400, an unknown model 422, not JSON 415', async () => {
  const post = (body: string, type = 'application/json') => request(t.app).post('/v1/kpi/calibrate').set('Content-Type', type).send(body);
  const malformed = await post('{"rows": [[-95, -11, 12]');
  expect([malformed.status, malformed.body.code]).toEqual([400, 'invalid-json']);
  expect(malformed.body.detail).toMatch(/^body: not valid JSON \(/);
  const none = await post('');
  expect([none.status, none.body.code, none.body.detail]).toEqual([400, 'invalid-request', 'body: a JSON object is required']);
  const extra = await post('{"rows": [[-95, -11, 12]], "colour": 1}');
  expect([extra.status, extra.body.code, extra.body.errors[0].field]).toEqual([400, 'invalid-request', '/colour']);
  const unknown = await post('{"rows": [[-95, -11, 12]], "model": "kpi-nope"}');
  expect([unknown.status, unknown.body.code]).toEqual([422, 'unknown-model']);
  expect(unknown.body.detail).toMatch(/no KPI model named 'kpi-nope' is loaded \(loaded: kpi-ple\)/);
  const named = await post('{"rows": [[-95, -11, 12]], "model": "kpi-ple"}');
  expect([named.status, named.body.model, named.body.profile.model]).toEqual([200, 'kpi-ple', expect.stringMatching(/^kpi-ple@/)]);
  expect((await post('rows', 'text/plain')).status).toBe(415);
});

test('100,000 rows (about 2 MB) fit the calibration body limit', async () => {
  const rows = Array.from({ length: 100_000 }, (_, i) => [-120 + (i % 50), -15 + (i % 7) / 2, 5 + (i % 30)]);
  const res = await calibrate(rows);
  expect(res.status).toBe(200);
  expect(res.body.profile.rows).toBe(100_000);
});

/** A history of `n` rows: a slow RSRP and SINR drift with noise; RSRQ flat at its clean level. */
function history(n: number): number[][] {
  let s = 11;
  const noise = () => ((s = (s * 16807) % 2147483647) / 2147483647 - 0.5);
  return Array.from({ length: n }, (_, i) => [-95 + 5 * Math.sin(i / 40) + noise(), -10.4 + 0.1 * noise(), 20 + 8 * Math.sin(i / 40) + 2 * noise()]);
}

test('a history longer than a window gives the profile a forecast gain per KPI in [0, 1]; a short one gives none', async () => {
  const cal = await calibrate(history(400));
  expect(cal.status).toBe(200);
  expectMatchesContract('calibrateKpi', 200, cal.body);
  const gain = cal.body.profile.forecastGain as number[];
  expect(gain).toHaveLength(3);
  for (const g of gain) expect(g >= 0 && g <= 1).toBe(true);
  // 35-step windows need a 36th row to learn from.
  expect((await calibrate(history(35))).body.profile.forecastGain).toBeUndefined();
  expect((await calibrate(history(36))).body.profile.forecastGain).toHaveLength(3);
});

test("the profile's forecast gain sets the forecasts: gain 0 is persistence, gain 1 the model, a half halfway", async () => {
  const { profile } = (await calibrate(history(400))).body;
  const windows = [window([-95, -12, 20], 0), window([-100, -11, 15], 20)];
  const answer = async (forecastGain: number[] | undefined) => {
    const { forecastGain: _, ...rest } = profile;
    const res = await request(t.app).post('/v1/kpi/predict').send({ windows, profile: forecastGain ? { ...rest, forecastGain } : rest });
    expect(res.status).toBe(200);
    return res.body.predictions as Array<{ rsrp: number; rsrq: number; sinr: number; interferenceProbability: number }>;
  };
  const model = await answer(undefined);
  const persistence = await answer([0, 0, 0]);
  const half = await answer([0.5, 1, 0]);
  expect(await answer([1, 1, 1])).toEqual(model);
  windows.forEach((w, b) => {
    const last = w[w.length - 1];
    [persistence[b].rsrp, persistence[b].rsrq, persistence[b].sinr].forEach((v, j) => expect(v).toBeCloseTo(last[j], 4));
    expect(half[b].rsrp).toBeCloseTo((last[0] + model[b].rsrp) / 2, 4);
    expect(half[b].rsrq).toBe(model[b].rsrq);
    expect(half[b].sinr).toBeCloseTo(last[2], 4);
    // Detection does not depend on the forecast gain.
    expect(half[b].interferenceProbability).toBe(model[b].interferenceProbability);
  });
  expect(model[0].rsrp).not.toBeCloseTo(windows[0][34][0], 2);
});

test('a forecast gain outside [0, 1] or of the wrong length: 422 invalid-profile naming profile.forecastGain', async () => {
  const { profile } = (await calibrate(history(100))).body;
  const windows = [window([-95, -12, 20], 0)];
  for (const forecastGain of [[0.5, 1.5, 0], [-0.1, 0, 0], [1, 1]]) {
    const res = await request(t.app).post('/v1/kpi/predict').send({ windows, profile: { ...profile, forecastGain } });
    expect([res.status, res.body.code]).toEqual([422, 'invalid-profile']);
    expect(res.body.detail).toMatch(/profile\.forecastGain/);
  }
});
