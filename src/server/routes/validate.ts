/**
 * Request-body validation against openapi.yaml (ajv): 400 invalid-request naming the fields
 * for a malformed body; 422 with the operation's domain code when the body is well formed
 * but a number lies outside its documented range (a gain above 1e12, an SINR above 40 dB).
 */
import type { AppContext } from '../context.js';
import { ApiError, type ErrorCode } from '../errors.js';
import { describeFieldErrors, meantErrors, onlyRangeErrors, toFieldErrors } from '../spec.js';

/**
 * Bodies with at most this many JSON values get every error listed; larger invalid bodies get
 * the first one only (collecting all of them costs time quadratic in the array lengths).
 */
const ALL_ERRORS_MAX_VALUES = 4096;

/** True when `body` holds at most `limit` JSON values (stops counting past the limit). */
function hasAtMostValues(body: unknown, limit: number): boolean {
  let count = 1;
  const stack: unknown[] = [body];
  while (stack.length > 0) {
    const v = stack.pop();
    if (v === null || typeof v !== 'object') continue;
    const items = Array.isArray(v) ? v : Object.values(v);
    count += items.length;
    if (count > limit) return false;
    stack.push(...items);
  }
  return true;
}

/** The 422 code for numbers outside their range, per operation. */
const OUT_OF_RANGE_CODE: Record<string, ErrorCode> = { allocate: 'invalid-gains', predictKpi: 'invalid-window', calibrateKpi: 'invalid-window', detectKpi: 'invalid-series' };

export function validateBody<T>(ctx: Pick<AppContext, 'spec'>, operationId: string, body: unknown): T {
  const validate = ctx.spec.request.get(operationId);
  const validateAll = ctx.spec.requestAllErrors.get(operationId);
  if (!validate || !validateAll) throw new Error(`openapi.yaml: no request schema for ${operationId}`);
  if (body === undefined) throw new ApiError('invalid-request', 'body: a JSON object is required', [{ field: '/', message: 'is required' }]);
  if (!validate(body)) {
    const detailed = hasAtMostValues(body, ALL_ERRORS_MAX_VALUES) && !validateAll(body);
    const meant = meantErrors(detailed ? validateAll.errors : validate.errors, body);
    const errors = toFieldErrors(meant);
    const code = onlyRangeErrors(meant) ? (OUT_OF_RANGE_CODE[operationId] ?? 'invalid-request') : 'invalid-request';
    throw new ApiError(code, describeFieldErrors(errors), errors);
  }
  return body as T;
}
