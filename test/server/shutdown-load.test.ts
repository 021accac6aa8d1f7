/**
 * SIGTERM under load, as an operator does it: `radio-mtl serve` with the shipped models, 16
 * keep-alive connections posting allocations back to back, then SIGTERM. Every request that
 * reached the server is answered (200, or 503 shutting-down), none is cut, and the process
 * exits 0: ten times in a row, with one worker and with two.
 */
import { startLoad } from './load-client.js';
import { spawnServe, whenReady } from '../../scripts/shared/serve-process.js';

const TRIES = 10;

describe.each([1, 2])('SIGTERM under 16-connection load, %i worker(s)', (workers) => {
  test(`${TRIES} tries: every request answered, none cut, exit 0`, async () => {
    for (let attempt = 1; attempt <= TRIES; attempt++) {
      const server = spawnServe(['--port', '0', '--no-lambda-warmup', '--models', 'models', '--workers', String(workers)]);
      const { child, log, exited } = server;
      try {
        const url = await whenReady(server, { workers });
        const load = startLoad(url, { connections: 16, path: '/v1/allocate', body: { problem: 'fdma-delay', gains: [0.8, 1.7, 0.3, 2.4, 1.1] } });
        await new Promise((r) => setTimeout(r, 200 + 40 * attempt));
        child.kill('SIGTERM');
        const code = await exited;
        load.stop();
        const result = await load.done;
        const outcome = { attempt, code, cut: result.cut, statuses: Object.keys(result.answered) };
        if (code !== 0) process.stderr.write(log.out.split('\n').filter((l) => !/request failed/.test(l)).join('\n'));
        expect(outcome).toEqual({ attempt, code: 0, cut: [], statuses: expect.arrayContaining(['200']) });
        for (const status of Object.keys(result.answered)) expect(['200', '503']).toContain(status);
        expect(log.out).not.toMatch(/ERR_HTTP_HEADERS_SENT|internal error/);
      } finally {
        if (child.exitCode === null) child.kill('SIGKILL');
      }
    }
  }, 240_000);
});
