/** The KPI service's rules on the shipped model: errors by kind and field, gaps filled before the forward pass. */
import { loadKpiServable, type KpiServable } from '../../../src/dnn/kpi/servable.js';
import { calibrateProfile, KpiInputError, predictWindows, type KpiForward } from '../../../src/dnn/kpi/service.js';

let model: KpiServable;
beforeAll(async () => {
  model = await loadKpiServable('models/kpi-ple', 'kpi-ple', { engine: 'tfjs' });
}, 60_000);

const window = (len = 35) => Array.from({ length: len }, (_, t) => [-95, -11, 15 - 0.1 * t] as Array<number | null>);

async function refusal(call: () => Promise<unknown>): Promise<{ kind: string; message: string }> {
  try {
    await call();
  } catch (err) {
    if (err instanceof KpiInputError) return { kind: err.kind, message: err.message };
    throw err;
  }
  throw new Error('not refused');
}

test('each refusal has its kind and names its field (windows counted from the offset)', async () => {
  expect(await refusal(() => predictWindows(model, [window(), window(34)], { offset: 2000 }))).toEqual({
    kind: 'window',
    message: "windows/2001: has 34 measurements but model 'kpi-ple' takes windows of 35 [rsrp, rsrq, sinr] rows",
  });
  expect(await refusal(() => predictWindows(model, [window().map(() => [-95, -11, null])]))).toMatchObject({ kind: 'window', message: /^windows\/0: 35 of its 105 values are null/ });
  expect(await refusal(() => predictWindows(model, [window()], { scaler: 'nope' }))).toMatchObject({ kind: 'scaler', message: /^scaler: model 'kpi-ple' has no scaler 'nope'/ });
  const profile = await calibrateProfile(model, window(60));
  expect(await refusal(() => predictWindows(model, [window()], { profile, scaler: 'pooled' }))).toMatchObject({ kind: 'profile', message: /^scaler: must be absent when profile is given/ });
  expect(await refusal(() => predictWindows(model, [window()], { profile: { ...profile, model: 'other@1' } }))).toMatchObject({ kind: 'profile', message: /^profile\.model: made for model 'other@1'/ });
  expect(await refusal(() => calibrateProfile(model, undefined))).toEqual({ kind: 'window', message: 'rows: is required' });
});

test('the forward pass gets complete windows (gaps carried forward) and the scaler asked for; imputed counts the fills', async () => {
  const gappy = window();
  gappy[10] = [-95, null, 14];
  const seen: number[][][][] = [];
  const forward: KpiForward = async (w, s) => {
    seen.push(w);
    return model.predict(w, s);
  };
  const answer = await predictWindows(model, [gappy], { forward });
  expect(seen[0][0][10]).toEqual([-95, -11, 14]);
  expect(answer.predictions[0].imputed).toBe(1);
  expect(answer.scaler).toBe('pooled');
  // The same answer as for the window already complete, but for the count of filled values.
  const complete = (await predictWindows(model, [seen[0][0]])).predictions[0];
  expect(answer.predictions[0]).toEqual({ ...complete, imputed: 1 });
});
