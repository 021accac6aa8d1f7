/**
 * The page at GET /ui in a real browser (Debian's chromium, driven by playwright-core; no browser
 * is downloaded): load a cell's CSV, and the episodes the page shows are the API's. Skipped, and
 * saying so in its name, only where no chromium is installed (`apt-get install chromium`).
 */
import { existsSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import request from 'supertest';
import { defaultLoaders } from '../../src/server/loaders.js';
import { makeTempDir } from '../helpers/tmp.js';
import { captureLogger, makeApp, type TestApp } from './helpers.js';

const CHROMIUM = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => p !== undefined && existsSync(p));
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** `n` rows 0.5 s apart with an interference dip (labelled) at rows 300, 700 and 1200 of every 1,500, and a few missing values. */
function cellCsv(n = 1500): { text: string; rows: Array<Array<number | null>>; times: number[] } {
  const start = Date.UTC(2022, 9, 4, 15, 0, 0);
  const rows: Array<Array<number | null>> = [];
  const lines = ['Time,RSRP,RSRQ,SINR,lab_inf'];
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const dip = [300, 700, 1200].some((d) => i % 1500 >= d && i % 1500 < d + 80) ? 1 : 0;
    const row: Array<number | null> = [-92 + Math.round(20 * Math.sin(i / 40)) / 10, -10.5 - 6 * dip + Math.round(3 * Math.cos(i)) / 10, 25 - 22 * dip + Math.round(20 * Math.sin(i / 3)) / 10];
    if (i % 97 === 5) row[1] = null;
    rows.push(row);
    times.push(start + i * 500);
    lines.push(`${new Date(times[i]).toISOString().replace('T', ' ').replace('Z', '')},${row.map((v) => (v === null ? '-' : v)).join(',')},${dip}`);
  }
  return { text: `${lines.join('\n')}\n`, rows, times };
}

const describeWithBrowser = CHROMIUM ? describe : describe.skip;

describeWithBrowser(`the page at /ui in ${CHROMIUM ?? 'chromium (skipped: no chromium installed; apt-get install chromium)'}`, () => {
  let t: TestApp;
  let server: Server;
  let browser: Browser;
  let base: string;
  let tmp: ReturnType<typeof makeTempDir>;
  const cell = cellCsv();
  const long = cellCsv(12_000);

  beforeAll(async () => {
    tmp = makeTempDir();
    writeFileSync(join(tmp.dir, 'cell.csv'), cell.text);
    writeFileSync(join(tmp.dir, 'long.csv'), long.text);
    t = await makeApp('models', {}, true, await defaultLoaders(captureLogger().logger));
    server = createServer(t.app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
    tmp?.cleanup();
  });

  /** Loads `file` on the page; `onPage` acts on the drawn report before the page closes. */
  async function episodesShown(calibrate: boolean, file = 'cell.csv', onPage?: (page: Page) => Promise<void>): Promise<{ shown: Array<{ start: number; end: number }>; status: string }> {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    await page.goto(`${base}/ui`);
    if (calibrate) await page.check('#calibrate');
    await page.setInputFiles('#csv', join(tmp.dir, file));
    await page.waitForSelector('body[data-state=done], body[data-state=error]', { timeout: 60_000 });
    const status = (await page.textContent('#status')) ?? '';
    await page.waitForSelector('#report[data-rendered=true]', { timeout: 60_000 });
    const shown = await page.$$eval('#episodes tr[data-start]', (trs) => trs.map((tr) => ({ start: Number((tr as HTMLElement).dataset.start), end: Number((tr as HTMLElement).dataset.end) })));
    expect(await page.$$eval('#chart canvas', (c) => c.length)).toBe(1);
    await onPage?.(page);
    expect(errors).toEqual([]);
    await page.close();
    return { shown, status };
  }

  test('loading a CSV shows the episodes /v1/kpi/detect answers for it', async () => {
    const { shown, status } = await episodesShown(false);
    const api = await request(t.app).post('/v1/kpi/detect').send({ rows: cell.rows, timestamps: cell.times });
    expect(status).toMatch(/^cell\.csv: \d+ alert episode\(s\)/);
    expect(api.body.episodes.length).toBeGreaterThanOrEqual(1);
    expect(shown).toEqual(api.body.episodes.map((e: { start: number; end: number }) => ({ start: e.start, end: e.end })));
  }, 120_000);

  test('with "calibrate", the profile comes from the first half of the rows, as the API makes it', async () => {
    const { shown, status } = await episodesShown(true);
    const profile = (await request(t.app).post('/v1/kpi/calibrate').send({ rows: cell.rows.slice(0, 750) })).body.profile;
    const api = await request(t.app).post('/v1/kpi/detect').send({ rows: cell.rows, timestamps: cell.times, profile });
    expect(status).toMatch(/with a profile from the first part/);
    expect(shown).toEqual(api.body.episodes.map((e: { start: number; end: number }) => ({ start: e.start, end: e.end })));
  }, 120_000);

  test('a long file is drawn decimated with the episodes exact; zooming in draws the range anew from the rows', async () => {
    const drawn = { before: 0, after: 0, summary: '' };
    const { shown } = await episodesShown(false, 'long.csv', async (page) => {
      drawn.before = Number(await page.getAttribute('#report', 'data-points'));
      drawn.summary = (await page.textContent('#summary')) ?? '';
      const box = await page.locator('#chart canvas').boundingBox();
      await page.mouse.move((box?.x ?? 0) + (box?.width ?? 0) / 2, (box?.y ?? 0) + 60);
      for (let i = 0; i < 8; i++) await page.mouse.wheel(0, -300);
      await page.waitForFunction((n) => Number(document.getElementById('report')?.dataset.points) !== n, drawn.before, { timeout: 30_000 });
      drawn.after = Number(await page.getAttribute('#report', 'data-points'));
    });
    const api = await request(t.app).post('/v1/kpi/detect').send({ rows: long.rows, timestamps: long.times });
    expect(api.body.episodes.length).toBeGreaterThanOrEqual(8);
    expect(shown).toEqual(api.body.episodes.map((e: { start: number; end: number }) => ({ start: e.start, end: e.end })));
    // Seven lines (3 KPIs measured and forecast, the probability) of ~12,000 points, at most 4 a pixel column of 900.
    const [, points, total] = /Chart: (\d+) of (\d+) points drawn/.exec(drawn.summary) ?? [];
    expect(Number(points)).toBe(drawn.before);
    expect(Number(total)).toBeGreaterThan(7 * 11_900);
    expect(drawn.before).toBeLessThanOrEqual(7 * 4 * 900);
    expect(drawn.after).not.toBe(drawn.before);
  }, 120_000);
});
