/**
 * What goes wrong below JSON: bodies that are not what their headers say, malformed HTTP,
 * oversized headers, a declared body far over the limit. Each gets a problem+json answer
 * with the right status, at once; none is a 500.
 */
import { connect } from 'node:net';
import { gzipSync } from 'node:zlib';
import request from 'supertest';
import { startServer, type RunningServer } from '../../src/server/server.js';
import { captureLogger } from './helpers.js';

let running: RunningServer;
let lines: Array<Record<string, unknown>>;

beforeAll(async () => {
  const captured = captureLogger('debug');
  lines = captured.lines;
  running = await startServer({ modelsDir: null, port: 0, logger: captured.logger, config: { precomputeLambdas: false, maxBodyBytes: 65_536 } });
  await running.loaded;
});
afterAll(() => running.close());

/** Sends raw bytes, returns what came back before the server closed the connection (or after `ms`). */
function raw(bytes: string | Buffer, ms = 3000): Promise<{ text: string; ms: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const socket = connect(running.port, '127.0.0.1');
    let text = '';
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ text, ms: performance.now() - started });
    };
    const timer = setTimeout(done, ms);
    socket.on('data', (d) => {
      text += d.toString('latin1');
      if (/\r\n\r\n/.test(text)) {
        const length = /content-length: (\d+)/i.exec(text);
        if (length && text.length - text.indexOf('\r\n\r\n') - 4 >= Number(length[1])) done();
      }
    });
    socket.on('close', done);
    socket.on('error', (err: NodeJS.ErrnoException) => (err.code === 'ECONNRESET' ? done() : reject(err)));
    socket.write(bytes);
  });
}

function problemOf(text: string): { status: number; contentType: string; body: Record<string, unknown> } {
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1]);
  const contentType = /content-type: ([^\r]+)/i.exec(text)?.[1] ?? '';
  return { status, contentType, body: JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4)) as Record<string, unknown> };
}

describe.each(['gzip', 'deflate', 'br'])('Content-Encoding %s', (encoding) => {
  test('with a body that is not so encoded: 400 invalid-request naming the encoding', async () => {
    const res = await request(running.url).post('/v1/allocate').set('Content-Type', 'application/json').set('Content-Encoding', encoding).send('{"problem":"fdma-delay","gains":[1,2]}');
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.code).toBe('invalid-request');
    expect(res.body.detail).toContain(`Content-Encoding ${encoding}`);
  });
});

test('a body that really is gzip-compressed is served', async () => {
  const res = await fetch(`${running.url}/v1/allocate`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
    body: gzipSync('{"problem":"fdma-delay","solver":"exact","gains":[1,2]}'),
  });
  expect(res.status).toBe(200);
  expect(((await res.json()) as { power: number[] }).power).toHaveLength(2);
});

test.each([
  ['a Content-Length that is not a number', 'POST /v1/allocate HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n', 400, 'invalid-request'],
  ['a request line that is not HTTP', 'HELLO\r\n\r\n', 400, 'invalid-request'],
  ['an Expect the server cannot meet', 'POST /v1/allocate HTTP/1.1\r\nHost: x\r\nExpect: 200-ok\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}', 417, 'expectation-failed'],
  ['headers over the size limit', `GET /v2/health/live HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`, 431, 'headers-too-large'],
])('%s: %i %s as problem+json', async (_name, bytes, status, code) => {
  const { text } = await raw(bytes);
  const p = problemOf(text);
  expect(p.status).toBe(status);
  expect(p.contentType).toMatch(/^application\/problem\+json/);
  expect(p.body).toMatchObject({ status, code, type: `urn:radio-mtl:problem:${code}` });
});

test('a declared body over the limit gets 413 at once, without waiting for the body', async () => {
  const { text, ms } = await raw('POST /v1/allocate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 10485760\r\n\r\n{"problem":');
  const p = problemOf(text);
  expect(p.status).toBe(413);
  expect(p.body.code).toBe('payload-too-large');
  expect(p.body.detail).toMatch(/Content-Length 10485760 is over the limit of 65536 bytes/);
  expect(ms).toBeLessThan(2000);
});

/**
 * Streams a chunked body of 64 KiB chunks to `path` until an answer arrives (or `maxBytes` were
 * sent); returns the answer and how many body bytes had been written when it came.
 */
function streamChunked(path: string, maxBytes: number): Promise<{ text: string; sentBeforeAnswer: number; ms: number }> {
  return new Promise((resolve) => {
    const started = performance.now();
    const socket = connect(running.port, '127.0.0.1');
    const chunk = Buffer.alloc(65_536, 0x20); // JSON whitespace
    let text = '';
    let sent = 0;
    let sentBeforeAnswer = -1;
    let ended = false;
    const finish = () => {
      if (ended) return;
      ended = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ text, sentBeforeAnswer, ms: performance.now() - started });
    };
    socket.on('data', (d) => {
      if (sentBeforeAnswer < 0) sentBeforeAnswer = sent;
      text += d.toString('latin1');
      if (/\r\n\r\n[\s\S]*\}/.test(text)) finish();
    });
    socket.on('close', finish);
    socket.on('error', finish);
    socket.write(`POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`);
    const pump = () => {
      while (!ended && sent < maxBytes) {
        sent += chunk.length;
        if (!socket.write(Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]))) {
          socket.once('drain', () => setImmediate(pump));
          return;
        }
      }
    };
    const timer = setTimeout(finish, 20_000);
    pump();
  });
}

test.each(['/v1/allocate', '/v2/models/any/infer'])('%s: an oversize chunked body is not read past the limit: 413 while the client still sends', async (path) => {
  // 64 MiB offered against a 64 KiB limit; the answer must come long before the end.
  const { text, sentBeforeAnswer } = await streamChunked(path, 64 << 20);
  expect(text).toMatch(/^HTTP\/1\.1 413 /);
  expect(text).toMatch(/connection: close/i);
  expect(text).toMatch(/larger than the limit of 65536 bytes/);
  expect(sentBeforeAnswer).toBeGreaterThan(0);
  expect(sentBeforeAnswer).toBeLessThan(16 << 20);
});

test('query strings (an access_token a client put there) never reach the log', async () => {
  await request(running.url).get('/v2/health/live?access_token=s3cr3t-value');
  const logged = lines.filter((l) => String(l.url ?? '').startsWith('/v2/health/live'));
  expect(logged.length).toBeGreaterThan(0);
  expect(JSON.stringify(lines)).not.toContain('s3cr3t-value');
});

describe('a body that never finishes', () => {
  let slow: RunningServer;
  beforeAll(async () => {
    slow = await startServer({ modelsDir: null, port: 0, logger: captureLogger().logger, config: { precomputeLambdas: false, requestTimeoutMs: 300 } });
    await slow.loaded;
  });
  afterAll(() => slow.close());

  test.each([
    ['/v1/allocate', 'application/problem+json'],
    ['/v2/models/any/infer', 'application/json'],
  ])('%s: 408 request-timeout at the request timeout, not a 503 server error', async (path, type) => {
    const socket = connect(slow.port, '127.0.0.1');
    const text = await new Promise<string>((resolve) => {
      let got = '';
      socket.on('data', (d) => (got += d.toString('latin1')));
      socket.on('close', () => resolve(got));
      socket.on('error', () => resolve(got));
      socket.write(`POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"problem"`);
      setTimeout(() => socket.destroy(), 3000);
    });
    expect(text).toMatch(/^HTTP\/1\.1 408 /);
    expect(text).toMatch(new RegExp(`content-type: ${type.replace('+', '\\+')}`, 'i'));
    expect(text).toMatch(/connection: close/i);
    expect(text).not.toMatch(/retry-after/i);
    expect(text).toMatch(/body: not received within 300 ms \(10 of 100 bytes\)/);
    const metrics = await (await fetch(`${slow.url}/metrics`)).text();
    expect(metrics).toMatch(/radio_mtl_http_requests_total\{method="POST",route="[^"]+",status="408"\} 1/);
  });
});
