/**
 * Reading a JSON body within a size limit. body-parser stops buffering at the limit but then
 * reads the rest of the request off the socket before it reports the error (to keep the
 * connection usable), so a chunked body of any size was read in full before its 413. Here
 * the bytes are counted as they arrive: at the limit the 413 is sent at once, the request
 * stops being read and its connection is closed.
 */
import express, { type RequestHandler, type Response } from 'express';
import { ApiError, sendError } from './errors.js';

/** How long a refused client may take to read its 413 before its connection is cut, ms. */
const LINGER_MS = 2_000;

/**
 * A body at least this large is parsed in one event-loop turn and validated in the next:
 * JSON.parse of a 1.4 MB calibration takes 10-15 ms, and validating it as long again.
 */
const SPLIT_TURN_BYTES = 256 * 1024;

/** Bytes of the body received so far (the 408 of an unfinished body tells them). */
export function bodyBytesReceived(res: Response): number | undefined {
  return (res.locals.bodyBytes as { received: number } | undefined)?.received;
}

/** Answers 413 and stops reading the request; its connection closes once the answer is out. */
function refuseOversize(req: Parameters<RequestHandler>[0], res: Response, err: ApiError): void {
  res.setHeader('Connection', 'close');
  sendError(res, err);
  req.pause();
  const socket = req.socket;
  res.once('finish', () => setTimeout(() => socket.destroy(), LINGER_MS).unref());
}

/**
 * The middleware of a JSON body limited to `limit` bytes (on the wire, and once decoded).
 * `raw`: the body is left unparsed, a Buffer (parsed by the route, e.g. on a worker thread).
 */
export function jsonBody(limit: number, { raw = false } = {}): RequestHandler[] {
  const parse = raw ? express.raw({ limit, type: () => true }) : express.json({ limit, strict: true, type: () => true });
  return [
    // A declared length over the limit is refused before any of the body is read.
    (req, res, next) => {
      const declared = Number(req.headers['content-length']);
      if (!(declared > limit)) return next();
      res.setHeader('Connection', 'close');
      next(new ApiError('payload-too-large', `body: Content-Length ${declared} is over the limit of ${limit} bytes`));
    },
    requireJson,
    (req, res, next) => {
      const count = { received: 0 };
      res.locals.bodyBytes = count;
      // The parser attaches its own listeners synchronously here, so this one sees the same bytes.
      parse(req, res, (err?: unknown) => (err === undefined && count.received >= SPLIT_TURN_BYTES ? setImmediate(next) : next(err)));
      const onData = (chunk: Buffer) => {
        count.received += chunk.byteLength;
        if (count.received <= limit || res.headersSent) return;
        req.off('data', onData);
        refuseOversize(req, res, new ApiError('payload-too-large', `body: larger than the limit of ${limit} bytes`));
      };
      req.on('data', onData);
    },
  ];
}

const requireJson: RequestHandler = (req, _res, next) => {
  const type = req.headers['content-type'];
  if (!type || !/^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(type)) {
    return next(new ApiError('unsupported-media-type', `Content-Type must be application/json, got '${type ?? 'none'}'`));
  }
  next();
};
