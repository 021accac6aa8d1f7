/** `radio-mtl kpi calibrate` and `kpi predict` with the shipped KPI model: the CLI twin of /v1/kpi/calibrate and /v1/kpi/predict. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir } from '../../helpers/tmp.js';
import { runCli } from '../../helpers/run-cli.js';

let tmp: ReturnType<typeof makeTempDir>;
beforeAll(() => {
  tmp = makeTempDir();
  // A cell's history as a CSV: extra columns ignored, a missing SINR as '-'.
  const lines = ['Time,RSRP,RSRQ,SINR,lab_inf'];
  for (let i = 0; i < 60; i++) lines.push(`${i},${(-100 + (i % 20)).toFixed(1)},${(-12 - (i % 5) / 2).toFixed(1)},${i === 7 ? '-' : (5 + (i % 25)).toFixed(1)},0`);
  writeFileSync(join(tmp.dir, 'cell.csv'), `${lines.join('\n')}\n`);
  const window = Array.from({ length: 35 }, (_, t) => [-95 - 0.1 * t, -12, 20 - 0.3 * t]);
  writeFileSync(join(tmp.dir, 'windows.json'), JSON.stringify({ windows: [window, window.map(([a, b]) => [a, b, 20])] }));
});
afterAll(() => tmp.cleanup());

test('calibrate a cell from its CSV, then predict with the profile', async () => {
  const profileFile = join(tmp.dir, 'profile.json');
  const cal = await runCli(['kpi', 'calibrate', '--model', 'models/kpi-ple', '--input', join(tmp.dir, 'cell.csv'), '--output', profileFile]);
  expect([cal.code, cal.stderr]).toEqual([0, '']);
  const profile = JSON.parse(readFileSync(profileFile, 'utf8'));
  expect(profile).toMatchObject({ kind: 'kpi-profile', rows: 60, min: [-100, -14, 5], max: [-81, -12, 29] });
  expect(profile.model).toMatch(/^kpi-ple@[0-9a-f]{12}$/);

  const withProfile = await runCli(['kpi', 'predict', '--model', 'models/kpi-ple', '--input', join(tmp.dir, 'windows.json'), '--profile', profileFile]);
  const pooled = await runCli(['kpi', 'predict', '--model', 'models/kpi-ple', '--input', join(tmp.dir, 'windows.json')]);
  expect(withProfile.code).toBe(0);
  const a = JSON.parse(withProfile.stdout);
  const b = JSON.parse(pooled.stdout);
  expect(a.scaler).toBe('profile');
  expect(b.scaler).toBe('pooled');
  expect(a.predictions).toHaveLength(2);
  for (const p of a.predictions) expect(p.interferenceProbability).toBeGreaterThanOrEqual(0);
  // The shipped model's inputs are pooled: every cell is scaled alike, so detection is the same;
  // the forecasts take the profile's forecast gain (60 rows hold 25 windows with a next row).
  expect(profile.forecastGain).toHaveLength(3);
  const windows = JSON.parse(readFileSync(join(tmp.dir, 'windows.json'), 'utf8')).windows as number[][][];
  a.predictions.forEach((p: Record<string, number>, k: number) => {
    expect(p.interferenceProbability).toBe(b.predictions[k].interferenceProbability);
    const last = windows[k][windows[k].length - 1];
    ['rsrp', 'rsrq', 'sinr'].forEach((key, j) => expect(p[key]).toBeCloseTo(last[j] + profile.forecastGain[j] * (b.predictions[k][key] - last[j]), 6));
  });
});

test('bad inputs: one line naming the option, exit 2', async () => {
  const foreign = join(tmp.dir, 'foreign.json');
  const cal = await runCli(['kpi', 'calibrate', '--model', 'models/kpi-ple', '--input', join(tmp.dir, 'cell.csv')]);
  writeFileSync(foreign, JSON.stringify({ ...JSON.parse(cal.stdout), model: 'kpi-ple@000000000000' }));
  const cases: Array<[string[], RegExp]> = [
    [['kpi', 'predict', '--model', 'models/kpi-ple', '--input', join(tmp.dir, 'windows.json'), '--profile', foreign], /^radio-mtl: --profile: profile\.model: made for model 'kpi-ple@000000000000'/],
    [['kpi', 'calibrate', '--model', 'models/allocation-routed', '--input', join(tmp.dir, 'cell.csv')], /^radio-mtl: --model: models\/allocation-routed is not a KPI model directory/],
    [['kpi', 'predict', '--model', 'models/kpi-ple', '--input', join(tmp.dir, 'cell.csv')], /^radio-mtl: --input: .* is not valid JSON/],
    [['kpi', 'calibrate', '--model', 'models/kpi-ple', '--input', join(tmp.dir, 'windows.json')], /^radio-mtl: --input: rows: is required/],
  ];
  for (const [args, message] of cases) {
    const r = await runCli(args);
    expect([r.code, r.stderr.split('\n').length]).toEqual([2, 2]);
    expect(r.stderr).toMatch(message);
  }
});
