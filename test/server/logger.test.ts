import { Writable } from 'node:stream';
import { createLogger, defaultLogFormat } from '../../src/server/logger.js';

function capture(): { stream: Writable; lines: () => Array<Record<string, unknown>> } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return { stream, lines: () => chunks.join('').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) };
}

describe('createLogger', () => {
  it('never writes an authorization header or a token', () => {
    const { stream, lines } = capture();
    const log = createLogger('info', stream);
    log.info({ req: { headers: { authorization: 'Bearer s3cret', host: 'h' } }, token: 's3cret', config: { apiToken: 's3cret' } }, 'request');
    const text = JSON.stringify(lines());
    expect(text).not.toContain('s3cret');
    const [line] = lines();
    expect(line).toMatchObject({ name: 'radio-mtl', pid: process.pid, msg: 'request', token: '[redacted]', config: { apiToken: '[redacted]' } });
    expect((line.req as { headers: Record<string, string> }).headers).toEqual({ authorization: '[redacted]', host: 'h' });
  });

  it('writes nothing below its level', () => {
    const { stream, lines } = capture();
    const log = createLogger('warn', stream);
    log.info('quiet');
    log.warn('loud');
    expect(lines().map((l) => l.msg)).toEqual(['loud']);
  });

  it('on a terminal writes one readable line per entry (local time, level, message), tokens still redacted', () => {
    const chunks: string[] = [];
    const stream = new Writable({
      write(chunk, _enc, done) {
        chunks.push(String(chunk));
        done();
      },
    });
    const log = createLogger('info', stream, 'pretty');
    log.info({ token: 's3cret', port: 8080 }, 'listening');
    const text = chunks.join('');
    expect(text).not.toContain('s3cret');
    expect(() => JSON.parse(text)).toThrow();
    expect(text).toMatch(/^\[\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}\] INFO \(radio-mtl\): listening\n/);
    expect(text).toMatch(/port: 8080/);
  });
});

describe('defaultLogFormat', () => {
  it('is readable on a terminal, JSON otherwise (files, pipes, log collectors)', () => {
    expect(defaultLogFormat({ isTTY: true })).toBe('pretty');
    expect(defaultLogFormat({ isTTY: false })).toBe('json');
    expect(defaultLogFormat({})).toBe('json');
  });
});
