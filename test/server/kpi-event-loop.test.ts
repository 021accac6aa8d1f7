/**
 * The heaviest KPI request the API allows, 100,000 rows to calibrate, is answered without
 * holding the event loop: no single turn takes a large part of the request, so liveness
 * probes get answered meanwhile. Checked as a ratio measured in
 * the same run (the server's longest event-loop delay, from its /metrics, against the
 * request's own duration), so a loaded machine slows both alike; the absolute goal (liveness
 * p99 < 50 ms) is `npm run bench:server`'s.
 */
import { startServe, stopServe, type ServeProcess } from '../../scripts/shared/serve-process.js';

let server: ServeProcess & { url: string };

beforeAll(async () => {
  server = await startServe(['--port', '0', '--models', 'models', '--no-lambda-warmup'], { from: 'source', healthReady: true, timeoutMs: 120_000 });
}, 150_000);
afterAll(() => stopServe(server));

/** The server's longest event-loop delay since the last scrape, ms (prom-client resets it on each scrape). */
async function maxLoopDelayMs(): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const m = /^radio_mtl_nodejs_eventloop_lag_max_seconds ([0-9.e+-]+)$/m.exec(text);
  if (!m) throw new Error('nodejs_eventloop_lag_max_seconds missing from /metrics');
  return Number(m[1]) * 1000;
}

/** One POST of `body` (already JSON): its duration and the server's longest event-loop delay meanwhile, ms. */
async function timed(path: string, body: string): Promise<{ status: number; ms: number; maxDelayMs: number }> {
  await maxLoopDelayMs();
  const started = performance.now();
  const res = await fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  await res.arrayBuffer();
  const ms = performance.now() - started;
  return { status: res.status, ms, maxDelayMs: await maxLoopDelayMs() };
}

const rows = Array.from({ length: 100_000 }, (_, i) => [-120 + (i % 50), -15 + (i % 7) / 2, 5 + (i % 30)]);

// Before the calibration's parsing, checks and statistics moved to a worker thread, the best
// of five was 0.20-0.23 (a 40-90 ms turn); after, 0.11 (load average 8 on 2 cores).
test('100,000 rows to calibrate: no event-loop turn takes more than 15% of the request', async () => {
  const json = JSON.stringify({ rows });
  expect((await timed('/v1/kpi/calibrate', json)).status).toBe(200); // starts the worker thread
  // Best of five: a process preempted by another job shows as a delay too.
  const runs = [];
  for (let i = 0; i < 5; i++) runs.push(await timed('/v1/kpi/calibrate', json));
  for (const r of runs) expect(r.status).toBe(200);
  const best = Math.min(...runs.map((r) => r.maxDelayMs / r.ms));
  expect({ runs, best: best < 0.15 }).toEqual({ runs, best: true });
}, 120_000);
