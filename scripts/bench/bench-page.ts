/**
 * `npm run bench:page`: how long the page at GET /ui takes from picking a long CSV to the drawn
 * report, in Debian's chromium driven by playwright-core (as test/server/ui-browser.test.ts), and
 * where the time goes: the page's own performance measures (parse, detect request, chart data,
 * Vega compile, draw; src/server/ui-page.ts, src/detection/report/render-report.ts). Each round
 * loads the file twice, interleaved: as the page draws it (long series decimated per pixel column)
 * and with "draw every row". Checks every time that the episodes shown are the API's. The series
 * is synthetic (a cell with labelled dips, 0.5 s rows, a few missing values; no data file needed).
 * Writes page.md and page.json (--help lists the options).
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { writeFileAtomic } from '../../src/io/atomic-write.js';
import { createApp, createContext, loadModels } from '../../src/server/app.js';
import { defaultLoaders } from '../../src/server/loaders.js';
import { createLogger } from '../../src/server/logger.js';
import { detectKpi } from '../../src/server/routes/kpi-detect.js';
import { CHROMIUM_FLAGS, CHROMIUM_PATH, syntheticCellCsv } from '../shared/browser-cell.js';
import { argv, intOpt, opt, outDir, readScriptOptions, ROOT, usageFail } from '../shared/lib.js';

readScriptOptions({
  name: 'bench:page',
  summary: 'The page at /ui in chromium: a long synthetic CSV from file picked to report drawn, per part (parse, detect, chart), decimated and every row interleaved; writes page.md and .json.',
  options: {
    models: { value: 'DIR', help: 'the models to serve (default models)' },
    rows: { value: 'N', help: 'rows of the CSV (default 20000)' },
    rounds: { value: 'R', help: 'interleaved rounds (default 3)' },
    chromium: { value: 'PATH', help: 'the browser (default $CHROMIUM_PATH, /usr/bin/chromium or /usr/bin/chromium-browser)' },
    out: { value: 'DIR', help: 'where to write (default scratch/bench-page; bench/results publishes)' },
  },
});
const args = {
  models: resolve(opt('models', join(ROOT, 'models'))),
  rows: intOpt('rows', 20_000, 100),
  rounds: intOpt('rounds', 3),
  chromium: opt('chromium', CHROMIUM_PATH ?? ''),
  out: outDir(),
};
if (!args.chromium || !existsSync(args.chromium)) usageFail(`--chromium: no browser at '${args.chromium}' (apt-get install chromium, or give --chromium PATH)`);
const log = (m: string) => process.stderr.write(`[bench-page] ${m}\n`);

/** A dip (labelled) every ~400 rows. */
const cellCsv = (n: number) => syntheticCellCsv(n, (i) => i % 400 >= 300 && i % 400 < 360);

interface Load {
  mode: 'decimated' | 'every row';
  /** From setting the file to the page's done state, as the driver sees it, ms. */
  wallMs: number;
  /** The page's performance measures (radio-mtl:<part>), ms. */
  parts: Record<string, number>;
  pointsDrawn: number;
}

async function load(browser: Browser, base: string, csvPath: string, everyRow: boolean, expected: Array<{ start: number; end: number }>): Promise<Load> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  await page.goto(`${base}/ui`);
  if (everyRow) await page.check('#every-point');
  const started = Date.now();
  await page.setInputFiles('#csv', csvPath);
  await page.waitForSelector('body[data-state=done], body[data-state=error]', { timeout: 300_000 });
  const wallMs = Date.now() - started;
  const status = (await page.textContent('#status')) ?? '';
  if (errors.length > 0 || !(await page.$('#report[data-rendered=true]'))) throw new Error(`the page failed: ${status} ${errors.join('; ')}`);
  const shown = await page.$$eval('#episodes tr[data-start]', (trs) => trs.map((tr) => ({ start: Number((tr as HTMLElement).dataset.start), end: Number((tr as HTMLElement).dataset.end) })));
  if (JSON.stringify(shown) !== JSON.stringify(expected)) throw new Error(`the page shows ${shown.length} episodes, the API answers ${expected.length}`);
  const measures = await page.evaluate(() => performance.getEntriesByType('measure').map((m) => [m.name, m.duration] as const));
  const pointsDrawn = Number(await page.getAttribute('#report', 'data-points'));
  await page.close();
  const parts = Object.fromEntries(measures.filter(([n]) => n.startsWith('radio-mtl:')).map(([n, d]) => [n.slice('radio-mtl:'.length), d]));
  return { mode: everyRow ? 'every row' : 'decimated', wallMs, parts, pointsDrawn };
}

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor((v.length - 1) / 2)];

const ctx = createContext({ config: { precomputeLambdas: false }, loaders: await defaultLoaders(), logger: createLogger('silent') });
await loadModels(ctx, args.models);
const cell = cellCsv(args.rows);
const expected = (await detectKpi(ctx, { rows: cell.rows, timestamps: cell.timesMs })).episodes.map((e) => ({ start: e.start, end: e.end }));
const tmp = mkdtempSync(join(tmpdir(), 'bench-page-'));
const csvPath = join(tmp, 'cell.csv');
writeFileSync(csvPath, cell.text);
const server = createServer(createApp(ctx));
await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const browser = await chromium.launch({ executablePath: args.chromium, args: CHROMIUM_FLAGS });
const loads: Load[] = [];
try {
  // A first load warms the browser's and the server's caches; not counted.
  await load(browser, base, csvPath, false, expected);
  for (let r = 1; r <= args.rounds; r++) {
    for (const everyRow of [false, true]) {
      loads.push(await load(browser, base, csvPath, everyRow, expected));
      const l = loads[loads.length - 1];
      log(`round ${r}, ${l.mode}: ${l.wallMs} ms (${Object.entries(l.parts).map(([k, v]) => `${k} ${v.toFixed(0)}`).join(', ')})`);
    }
  }
} finally {
  await browser.close();
  await new Promise((done) => server.close(done));
  rmSync(tmp, { recursive: true, force: true });
}

const modes = ['decimated', 'every row'] as const;
const partNames = [...new Set(loads.flatMap((l) => Object.keys(l.parts)))];
const summary = Object.fromEntries(modes.map((mode) => {
  const mine = loads.filter((l) => l.mode === mode);
  return [mode, { wallMs: median(mine.map((l) => l.wallMs)), parts: Object.fromEntries(partNames.map((p) => [p, median(mine.map((l) => l.parts[p] ?? 0))])), pointsDrawn: mine[0].pointsDrawn }];
}));
const doc = { command: `npm run bench:page -- ${argv.join(' ')}`.trim(), rows: args.rows, rounds: args.rounds, episodes: expected.length, chromium: args.chromium, loadAverage: loadavg(), summary, loads };
const ms = (v: number) => v.toFixed(0);
const md = `# The page at /ui: a ${args.rows}-row CSV to the drawn report

Made by \`${doc.command}\`: a synthetic ${args.rows}-row cell (${expected.length} alert episodes, the same on the page as from the API in every load), chromium ${args.chromium}, median of ${args.rounds} rounds, each loading the file as the page draws it and with "draw every row", interleaved. Load average ${doc.loadAverage.map((l) => l.toFixed(1)).join(' ')} (1, 5, 15 min): on a loaded machine only the ratio of the two columns means something.

| part (ms) | ${modes.join(' | ')} |
|---|---:|---:|
| file picked to report drawn (driver's clock) | ${modes.map((m) => ms(summary[m].wallMs)).join(' | ')} |
${partNames.map((p) => `| ${p} | ${modes.map((m) => ms(summary[m].parts[p])).join(' | ')} |`).join('\n')}
| points drawn | ${modes.map((m) => summary[m].pointsDrawn).join(' | ')} |

Parts: parse = read and parse the CSV; detect = POST /v1/kpi/detect, answer parsed; render = the report (chart-data: the datasets, chart-compile: Vega-Lite to a Vega view, chart-draw: the dataflow and the canvas); total = the page's own clock from the file event to done.
`;
writeFileAtomic(join(args.out, 'page.md'), md);
writeFileAtomic(join(args.out, 'page.json'), `${JSON.stringify(doc, null, 2)}\n`);
process.stdout.write(md);
