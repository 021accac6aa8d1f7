/** GET /ui and its scripts: served from the installed packages, nothing fetched from elsewhere. */
import request from 'supertest';
import { useFakeModelsApp } from '../helpers.js';

const fake = useFakeModelsApp();

test('the page and its scripts are same-origin; its CSP allows only them (and eval, which Vega needs)', async () => {
  const page = await request(fake.app().app).get('/ui');
  expect(page.status).toBe(200);
  expect(page.headers['content-type']).toMatch(/^text\/html/);
  expect(page.headers['content-security-policy']).toMatch(/script-src 'self' 'unsafe-eval';/);
  const scripts = [...page.text.matchAll(/<script[^>]*src="([^"]+)"/g)].map((m) => m[1]);
  expect(scripts).toEqual(['/ui/vega.js', '/ui/vega-lite.js', '/ui/csv-parse.js', '/ui/report.js']);
  expect(page.text).not.toMatch(/https?:\/\//);
  for (const src of scripts) {
    const js = await request(fake.app().app).get(src);
    expect([src, js.status, js.headers['content-type']]).toEqual([src, 200, expect.stringMatching(/^application\/javascript/)]);
    expect(js.text.length).toBeGreaterThan(1000);
  }
  const report = await request(fake.app().app).get('/ui/report.js');
  expect(report.text).toMatch(/function runUploadPage\(\)/);
  expect(report.text.trimEnd().endsWith('runUploadPage();')).toBe(true);
});

test('another method on /ui is 405', async () => {
  const res = await request(fake.app().app).post('/ui').send({});
  expect(res.status).toBe(405);
});
