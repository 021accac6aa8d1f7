/** Request-body validation against openapi.yaml (ajv): 400 invalid-request naming every field. */
import type { AppContext } from '../context.js';
import { ApiError } from '../errors.js';
import { describeFieldErrors, fieldErrors } from '../spec.js';

export function validateBody<T>(ctx: AppContext, operationId: string, body: unknown): T {
  const validate = ctx.spec.request.get(operationId);
  if (!validate) throw new Error(`openapi.yaml: no request schema for ${operationId}`);
  if (body === undefined) throw new ApiError('invalid-request', 'body: a JSON object is required', [{ field: '/', message: 'is required' }]);
  if (!validate(body)) {
    const errors = fieldErrors(validate.errors, body);
    throw new ApiError('invalid-request', describeFieldErrors(errors), errors);
  }
  return body as T;
}
