/**
 * The page at GET /ui in a real browser (Debian's chromium, driven by playwright-core; no browser
 * is downloaded): load a cell's CSV, and the episodes the page shows are the API's. Skipped, and
 * saying so in its name, only where no chromium is installed (`apt-get install chromium`).
 */
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import request from 'supertest';
import { CHROMIUM_FLAGS, CHROMIUM_PATH, syntheticCellCsv } from '../../scripts/shared/browser-cell.js';
import { defaultLoaders } from '../../src/server/loaders.js';
import { makeTempDir } from '../helpers/tmp.js';
import { captureLogger, makeApp, type TestApp } from './helpers.js';

const CHROMIUM = CHROMIUM_PATH;

/** Interference dips (labelled) at rows 300, 700 and 1200 of every 1,500. */
const cellCsv = (n = 1500) => syntheticCellCsv(n, (i) => [300, 700, 1200].some((d) => i % 1500 >= d && i % 1500 < d + 80));

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
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
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
    const api = await request(t.app).post('/v1/kpi/detect').send({ rows: cell.rows, timestamps: cell.timesMs });
    expect(status).toMatch(/^cell\.csv: \d+ alert episode\(s\)/);
    expect(api.body.episodes.length).toBeGreaterThanOrEqual(1);
    expect(shown).toEqual(api.body.episodes.map((e: { start: number; end: number }) => ({ start: e.start, end: e.end })));
  }, 120_000);

  test('with "calibrate", the profile comes from the first half of the rows, as the API makes it', async () => {
    const { shown, status } = await episodesShown(true);
    const profile = (await request(t.app).post('/v1/kpi/calibrate').send({ rows: cell.rows.slice(0, 750) })).body.profile;
    const api = await request(t.app).post('/v1/kpi/detect').send({ rows: cell.rows, timestamps: cell.timesMs, profile });
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
    const api = await request(t.app).post('/v1/kpi/detect').send({ rows: long.rows, timestamps: long.timesMs });
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
