/**
 * The heaviest requests the API allows run off the event loop: while they run, liveness
 * keeps answering; one over its time budget is cut off with 503 timeout when the
 * budget ends (not finished late) and its solver thread is stopped.
 */
import { ipmBatch, probeLiveness } from '../../src/bench/server-hardening.js';
import { spawnServe as spawn, whenReady } from '../../scripts/shared/serve-process.js';

const spawnServe = (args: string[]) => spawn(['--port', '0', '--no-lambda-warmup', '--no-models', '--solver-threads', '1', ...args]);

const post = (url: string, body: unknown) =>
  fetch(`${url}/v1/allocate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }));

// The 50 ms liveness goal is a speed goal, measured by `npm run bench:server` (liveness under the
// heaviest solves); this test checks the design that makes it possible: the solves run off the
// event loop. On the loop, one of these IPM batches would hold it for seconds; the bound below
// leaves 10x room over the goal so that a loaded test machine does not decide the outcome.
test('liveness keeps answering (p99 < 500 ms) while IPM batches at N = 256 and a new-N sum-capacity solve run', async () => {
  const server = spawnServe([]);
  const { child } = server;
  try {
    const url = await whenReady(server);
    const heavy = [
      post(url, { problem: 'sum-capacity', solver: 'exact', gains: [Array.from({ length: 64 }, (_, j) => 0.1 + j / 32)] }),
      post(url, { problem: 'fdma-delay', solver: 'ipm', gains: ipmBatch(40) }),
      post(url, { problem: 'fdma-delay', solver: 'ipm', gains: ipmBatch(40) }),
    ];
    await new Promise((r) => setTimeout(r, 100)); // the bodies are parsed: the solves run
    const live = await probeLiveness(url, 2.5);
    const done = await Promise.all(heavy.map((h) => h.catch((err: Error) => ({ status: 0, body: { error: err.message } }))));
    expect(live.probes).toBeGreaterThan(50);
    expect(live.p99Ms).toBeLessThan(500);
    // The work itself was done (or cut off at its deadline), never refused for being heavy.
    for (const r of done) expect([200, 503]).toContain(r.status);
    expect(done[0].status).toBe(200);
  } finally {
    child.kill('SIGKILL');
  }
}, 60_000);

test('a solve over its time budget gets 503 timeout when the budget ends, and its thread is stopped', async () => {
  const server = spawnServe(['--request-timeout-ms', '1500']);
  const { child } = server;
  try {
    const url = await whenReady(server);
    let started = performance.now();
    const cut = await post(url, { problem: 'fdma-delay', solver: 'ipm', gains: ipmBatch(300) });
    const cutMs = performance.now() - started;
    expect(cut.status).toBe(503);
    expect(cut.body.code).toBe('timeout');
    expect(cutMs).toBeLessThan(1500 + 700);
    // Were the 300 rows (about 18 s) still running, this one would wait behind them and time out.
    await new Promise((r) => setTimeout(r, 500)); // a fresh thread replaces the stopped one
    started = performance.now();
    const next = await post(url, { problem: 'fdma-delay', solver: 'ipm', gains: ipmBatch(2) });
    expect(next.status).toBe(200);
  } finally {
    child.kill('SIGKILL');
  }
}, 60_000);
