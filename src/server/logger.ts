/** Structured logs (pino). Authorization headers and tokens are redacted, never written. */
import { pino, type Logger, type DestinationStream, type LevelWithSilent } from 'pino';

export const LOG_REDACT_PATHS = ['req.headers.authorization', 'headers.authorization', 'authorization', 'token', 'apiToken', '*.apiToken', '*.token'];

export function createLogger(level: LevelWithSilent = 'info', destination?: DestinationStream): Logger {
  const options = { name: 'radio-mtl', level, redact: { paths: LOG_REDACT_PATHS, censor: '[redacted]' }, base: { pid: process.pid } };
  return destination ? pino(options, destination) : pino(options);
}
