/** Optional bearer-token auth for /v1/* and /v2/models/*: on when RADIO_MTL_API_TOKEN is set. */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { ApiError } from './errors.js';

const CHALLENGE = { 'WWW-Authenticate': 'Bearer realm="radio-mtl"' };

function digest(s: string): Buffer {
  return createHash('sha256').update(s, 'utf8').digest();
}

export function bearerAuth(token: string): RequestHandler {
  const expected = digest(token);
  return (req, _res, next) => {
    const header = req.headers.authorization;
    if (!header) return next(new ApiError('unauthorized', 'this server requires "Authorization: Bearer <token>" (RADIO_MTL_API_TOKEN is set)', undefined, CHALLENGE));
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!m || !timingSafeEqual(digest(m[1]), expected)) {
      return next(new ApiError('unauthorized', 'the bearer token is not valid', undefined, { 'WWW-Authenticate': 'Bearer realm="radio-mtl", error="invalid_token"' }));
    }
    next();
  };
}
