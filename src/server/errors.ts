/**
 * The ONE table of HTTP API error codes (fastify style): every error the server sends
 * comes from here, as an RFC 9457 `application/problem+json` body
 * `{type, title, status, code, detail, instance, errors?}`. `code` and `title` are fixed
 * per entry; `detail` names the field and the rule. The codes are also listed in
 * openapi.yaml (`Problem.code`); test/server/errors.test.ts checks both lists agree.
 * The Open Inference Protocol endpoints (GET /v2, /v2/models/...) answer the same errors
 * in that protocol's shape instead: `{"error": detail}`.
 */
import { STATUS_CODES } from 'node:http';
import type { Response } from 'express';
import { InputError } from '../input-error.js';

export const ERROR_TABLE = {
  'invalid-json': { status: 400, title: 'Malformed JSON body' },
  'invalid-request': { status: 400, title: 'Request does not match the API schema' },
  unauthorized: { status: 401, title: 'Missing or invalid bearer token' },
  'not-found': { status: 404, title: 'No such endpoint' },
  'method-not-allowed': { status: 405, title: 'Method not allowed on this endpoint' },
  'request-timeout': { status: 408, title: 'Request not received in time' },
  'payload-too-large': { status: 413, title: 'Request body too large' },
  'expectation-failed': { status: 417, title: 'Expect header not supported' },
  'headers-too-large': { status: 431, title: 'Request headers too large' },
  'unsupported-media-type': { status: 415, title: 'Body must be application/json' },
  'invalid-gains': { status: 422, title: 'Gains cannot be allocated' },
  'invalid-window': { status: 422, title: 'Measurement windows do not fit the model' },
  'invalid-profile': { status: 422, title: 'Calibration profile not usable with this model' },
  'invalid-series': { status: 422, title: 'Series, timestamps or alerting rule not usable' },
  'unsupported-size': { status: 422, title: 'Number of users not served by the model' },
  'unsupported-solver': { status: 422, title: 'Solver does not solve this problem' },
  'unknown-model': { status: 422, title: 'No loaded model has that name or scheme' },
  'too-many-users': { status: 422, title: 'Number of users above the solver limit' },
  'model-not-loaded': { status: 503, title: 'Model not loaded' },
  'queue-full': { status: 503, title: 'Inference queue is full' },
  timeout: { status: 503, title: 'Request timed out' },
  'shutting-down': { status: 503, title: 'Server is shutting down' },
  'non-finite-output': { status: 500, title: 'Model produced a non-finite value' },
  'invalid-response': { status: 500, title: 'Response failed validation against the API schema' },
  internal: { status: 500, title: 'Internal server error' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ErrorCode = keyof typeof ERROR_TABLE;
export const ERROR_CODES = Object.keys(ERROR_TABLE) as ErrorCode[];

export interface FieldError {
  /** JSON pointer into the request body, e.g. "/gains/3". */
  field: string;
  message: string;
}

/** An error with a code from ERROR_TABLE; thrown by handlers, rendered by the error middleware. */
export class ApiError extends Error {
  override name = 'ApiError';
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    readonly detail: string,
    readonly errors?: FieldError[],
    /** Extra response headers (Retry-After, WWW-Authenticate). */
    readonly headers?: Record<string, string>,
  ) {
    super(detail);
    this.status = ERROR_TABLE[code].status;
  }
}

/** `gains[3][1]` or `profile.min` as a JSON pointer into the request body: `/gains/3/1`, `/profile/min`. */
export function fieldPointer(field: string): string {
  return `/${field.replace(/\[(\d+)\]/g, '/$1').replace(/\./g, '/')}`.replace(/\/\//g, '/');
}

/**
 * Bad input as an API error: the one mapping from InputError (src/input-error.ts) to
 * problem+json. `code` is the operation's domain code (422 `invalid-gains` for gains);
 * an InputError no handler expected is a 400 `invalid-request`.
 */
export function inputProblem(err: InputError, code: ErrorCode = 'invalid-request'): ApiError {
  return new ApiError(code, err.message, [{ field: fieldPointer(err.field), message: err.rule }]);
}

/** Runs `check`; bad input it reports becomes the API error `code` (inputProblem). */
export function checkInput<T>(code: ErrorCode, check: () => T): T {
  try {
    return check();
  } catch (err) {
    throw err instanceof InputError ? inputProblem(err, code) : err;
  }
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  code: ErrorCode;
  detail: string;
  instance?: string;
  errors?: FieldError[];
}

export function problemBody(err: ApiError, instance?: string): ProblemBody {
  const entry = ERROR_TABLE[err.code];
  return {
    type: `urn:radio-mtl:problem:${err.code}`,
    title: entry.title,
    status: entry.status,
    code: err.code,
    detail: err.detail,
    ...(instance !== undefined ? { instance } : {}),
    ...(err.errors && err.errors.length > 0 ? { errors: err.errors } : {}),
  };
}

/**
 * `err` as a whole HTTP/1.1 response that closes the connection: for errors the HTTP parser
 * finds before express sees a request (malformed framing, oversized headers).
 */
export function rawProblemResponse(err: ApiError): string {
  const body = JSON.stringify(problemBody(err));
  return `HTTP/1.1 ${err.status} ${STATUS_CODES[err.status] ?? ''}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
}

/** Writes `err` as application/problem+json. */
export function sendProblem(res: Response, err: ApiError, instance?: string): void {
  if (err.headers) for (const [k, v] of Object.entries(err.headers)) res.setHeader(k, v);
  res.status(err.status).type('application/problem+json').send(JSON.stringify(problemBody(err, instance)));
}

/** GET /v2 and everything under /v2/models: the Open Inference Protocol's paths. */
export function isInferenceProtocolPath(path: string): boolean {
  return /^\/v2(?:\/?$|\/models(?:\/|$))/.test(path);
}

/**
 * Writes `err` as the Open Inference Protocol's `{"error": detail}`. That protocol has no 422:
 * a well-formed request it cannot serve is a 400.
 */
export function sendInferenceError(res: Response, err: ApiError): void {
  if (err.headers) for (const [k, v] of Object.entries(err.headers)) res.setHeader(k, v);
  res.status(err.status === 422 ? 400 : err.status).json({ error: err.detail });
}

/** Writes `err` in the shape its endpoint speaks: `{"error"}` on the inference protocol's paths, problem+json elsewhere. */
export function sendError(res: Response, err: ApiError): void {
  const url = res.req.originalUrl;
  if (isInferenceProtocolPath(url.split('?')[0])) sendInferenceError(res, err);
  else sendProblem(res, err, url);
}
