/** The one launcher of `radio-mtl serve` (built CLI: run `npm run build` first). */
import { mkdtempSync, rmSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServe, stopServe } from '../../../scripts/shared/serve-process.js';

describe('startServe', () => {
  it('returns the URL once the server is ready, and stopServe shuts it down gracefully (exit 0)', async () => {
    const server = await startServe(['--no-models', '--no-lambda-warmup', '--port', '0']);
    // No keep-alive connection: the shutdown would wait for it to idle out.
    const status = await new Promise((resolve, reject) => get(`${server.url}/v2/health/live`, { agent: false }, (res) => resolve(res.resume().statusCode)).on('error', reject));
    expect(status).toBe(200);
    expect(await stopServe(server)).toBe(0);
    expect(server.log.out).toMatch(/"msg":"shut down"/);
  });

  it('rejects at once with the server output when it exits before getting ready', async () => {
    const started = Date.now();
    await expect(startServe(['--workers', 'many'])).rejects.toThrow(/^radio-mtl serve exited before it was ready:\n.*--workers/);
    expect(Date.now() - started).toBeLessThan(30_000); // not the 60 s timeout
  });

  it('rejects naming the timeout, and kills the server, when it is not ready in time', async () => {
    await expect(startServe(['--no-models', '--port', '0'], { timeoutMs: 1 })).rejects.toThrow(/^radio-mtl serve was not ready within 1 ms:/);
  });

  it('with healthReady, waits for /v2/health/ready: a server whose models directory holds no model never is', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'radio-mtl-no-models-'));
    // A server that did get ready is stopped, so a failing expectation leaves no process behind.
    // Longer than a start on a loaded machine (5.4 s to the first log line measured at load average 15 on 2 cores).
    const outcome = await startServe(['--models', empty, '--no-lambda-warmup', '--port', '0'], { healthReady: true, timeoutMs: 15_000 }).then(
      async (server) => `ready (exit ${await stopServe(server)})`,
      (err: Error) => err.message,
    );
    rmSync(empty, { recursive: true });
    expect(outcome).toMatch(/^radio-mtl serve was not ready within 15000 ms:\n.*holds no model.*"msg":"ready"/s);
  });
});
