/**
 * Structured logs (pino): JSON lines for files, pipes and log collectors, readable lines
 * (pino-pretty: local time, level, message, fields) on a terminal. Authorization headers and
 * tokens are redacted, never written, in both.
 */
import { createRequire } from 'node:module';
import { pino, type Logger, type DestinationStream, type LevelWithSilent } from 'pino';
import type { PinoPretty } from 'pino-pretty';

// Loaded only for a terminal: servers behind pipes and collectors start without it.
const require = createRequire(import.meta.url);

export const LOG_REDACT_PATHS = ['req.headers.authorization', 'headers.authorization', 'authorization', 'token', 'apiToken', '*.apiToken', '*.token'];

export type LogFormat = 'json' | 'pretty';

/** Readable on a terminal, JSON otherwise. */
export function defaultLogFormat(stdout: { isTTY?: boolean } = process.stdout): LogFormat {
  return stdout.isTTY ? 'pretty' : 'json';
}

export function createLogger(level: LevelWithSilent = 'info', destination?: DestinationStream, format: LogFormat = destination ? 'json' : defaultLogFormat()): Logger {
  const options = { name: 'radio-mtl', level, redact: { paths: LOG_REDACT_PATHS, censor: '[redacted]' }, base: { pid: process.pid } };
  if (format === 'pretty') {
    // In-process and synchronous: lines appear in order with the rest of the output, none lost at exit.
    const { PinoPretty: prettyStream } = require('pino-pretty') as { PinoPretty: typeof PinoPretty };
    const pretty = prettyStream({ destination: destination ?? 1, sync: true, colorize: destination === undefined, translateTime: 'SYS:yyyy-mm-dd HH:MM:ss.l', ignore: 'pid,hostname' });
    return pino(options, pretty);
  }
  return destination ? pino(options, destination) : pino(options);
}
