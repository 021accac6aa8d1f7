/** Request-body validation against openapi.yaml (ajv): 400 invalid-request naming the fields. */
import type { AppContext } from '../context.js';
import { ApiError } from '../errors.js';
import { describeFieldErrors, fieldErrors } from '../spec.js';

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

export function validateBody<T>(ctx: AppContext, operationId: string, body: unknown): T {
  const validate = ctx.spec.request.get(operationId);
  const validateAll = ctx.spec.requestAllErrors.get(operationId);
  if (!validate || !validateAll) throw new Error(`openapi.yaml: no request schema for ${operationId}`);
  if (body === undefined) throw new ApiError('invalid-request', 'body: a JSON object is required', [{ field: '/', message: 'is required' }]);
  if (!validate(body)) {
    const detailed = hasAtMostValues(body, ALL_ERRORS_MAX_VALUES) && !validateAll(body);
    const errors = fieldErrors(detailed ? validateAll.errors : validate.errors, body);
    throw new ApiError('invalid-request', describeFieldErrors(errors), errors);
  }
  return body as T;
}
