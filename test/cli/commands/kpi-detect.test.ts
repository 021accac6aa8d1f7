/** `radio-mtl kpi detect` with the shipped KPI model: the CLI twin of POST /v1/kpi/detect, with its table and HTML report. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { defaultLoaders } from '../../../src/server/loaders.js';
import { makeTempDir } from '../../helpers/tmp.js';
import { runCli } from '../../helpers/run-cli.js';
import { captureLogger, makeApp } from '../../server/helpers.js';

let tmp: ReturnType<typeof makeTempDir>;
const start = Date.UTC(2022, 9, 4, 15, 0, 0);
/** 120 rows 0.5 s apart; SINR and RSRQ collapse over rows 60-90, labelled interference there. */
const rows = Array.from({ length: 120 }, (_, i) => {
  const dip = i >= 60 && i <= 90 ? 1 : 0;
  return [-92 + Math.sin(i / 5), -10.5 - 6 * dip + 0.1 * Math.cos(i), 25 - 22 * dip + Math.sin(i / 3), dip];
});
const stamp = (i: number) => new Date(start + i * 500).toISOString().replace('T', ' ').replace('Z', '');

beforeAll(() => {
  tmp = makeTempDir();
  const lines = ['Time,RSRP,RSRQ,SINR,Label,lab_inf', ...rows.map((r, i) => `${stamp(i)},${r[0].toFixed(2)},${r[1].toFixed(2)},${i === 70 ? '-' : r[2].toFixed(2)},0,${r[3]}`)];
  writeFileSync(join(tmp.dir, 'cell.csv'), `${lines.join('\n')}\n`);
  writeFileSync(join(tmp.dir, 'plain.csv'), `rsrp,rsrq,sinr\n${rows.map((r) => r.slice(0, 3).join(',')).join('\n')}\n`);
  writeFileSync(join(tmp.dir, 'no-sinr.csv'), 'RSRP,RSRQ\n-90,-10\n');
});
afterAll(() => tmp.cleanup());

test('episodes as /v1/kpi/detect gives them, event metrics against the labels, a self-contained report', async () => {
  const out = join(tmp.dir, 'out');
  const res = await runCli(['kpi', 'detect', '--csv', join(tmp.dir, 'cell.csv'), '--out', out, '--json']);
  expect(res.code).toBe(0);
  const doc = JSON.parse(res.stdout);
  const t = await makeApp('models', {}, true, await defaultLoaders(captureLogger().logger));
  const csvRows = rows.map((r, i) => [Number(r[0].toFixed(2)), Number(r[1].toFixed(2)), i === 70 ? null : Number(r[2].toFixed(2))]);
  const api = await request(t.app).post('/v1/kpi/detect').send({ rows: csvRows, timestamps: rows.map((_, i) => start + i * 500) });
  expect(doc.episodes).toEqual(api.body.episodes);
  expect(doc.episodes.length).toBeGreaterThanOrEqual(1);
  expect(doc.labelledEpisodes).toEqual([{ start: 60, end: 90 }]);
  expect(doc.metrics).toMatchObject({ labelledEpisodes: 1, caught: 1, episodeRecall: 1 });
  expect(JSON.parse(readFileSync(join(out, 'detection.json'), 'utf8'))).toEqual(doc);
  const html = readFileSync(join(out, 'report.html'), 'utf8');
  // Self-contained: no script, style or image fetched from anywhere.
  expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=|<img[^>]+src=/i);
  expect(html).toContain('vegaLite');
  expect(html).toContain('function renderReport');
  const data = JSON.parse(/<script id="report-data" type="application\/json">(.*?)<\/script>/s.exec(html)?.[1] ?? 'null');
  expect(data.episodes).toEqual(doc.episodes);
  expect(data.labelled).toEqual([{ start: 60, end: 90 }]);
  expect(data.timesMs[1] - data.timesMs[0]).toBe(500);
});

test('the table, for a plain CSV without times or labels', async () => {
  const res = await runCli(['kpi', 'detect', '--csv', join(tmp.dir, 'plain.csv'), '--model', 'models/kpi-ple', '--k', '1']);
  expect(res.code).toBe(0);
  expect(res.stdout).toMatch(/^plain\.csv: \d+ alert episode\(s\) in 120 rows \(model kpi-ple\)\n\s*# +first row +last row/);
  expect(res.stdout).not.toMatch(/labelled episodes/);
  expect(res.stderr).toBe('');
});

test.each([
  [['--csv', 'no-sinr.csv'], /^radio-mtl: --csv: '.*no-sinr\.csv': missing column SINR \(have: RSRP, RSRQ\)\n$/],
  [['--csv', 'absent.csv'], /^radio-mtl: --csv: cannot read '.*absent\.csv' \(ENOENT\)\n$/],
  [['--csv', 'cell.csv', '--k', '0'], /^radio-mtl: --k: alerting\/k: must be >= 1\n$/],
  [['--csv', 'cell.csv', '--p-on', 'high'], /^radio-mtl: --p-on: must be a number, got 'high'\n$/],
  [['--csv', 'cell.csv', '--p-on', '0.4', '--p-off', '0.6'], /^radio-mtl: --p-off: alerting\/pOff: must be in \[0, pOn = 0.4\]\n$/],
])('bad input %j: one line naming the option, exit 2', async (args, message) => {
  const res = await runCli(['kpi', 'detect', '--model', 'models/kpi-ple', ...args.map((a) => (a.endsWith('.csv') ? join(tmp.dir, a) : a))]);
  expect(res.code).toBe(2);
  expect(res.stderr).toMatch(message);
});

test('--help starts no work', async () => {
  const out = join(tmp.dir, 'help-out');
  const res = await runCli(['kpi', 'detect', '--help', '--csv', join(tmp.dir, 'cell.csv'), '--out', out]);
  expect(res.code).toBe(0);
  expect(res.stdout).toMatch(/--csv <file>/);
  expect(existsSync(out)).toBe(false);
});
