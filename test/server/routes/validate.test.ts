import { validateBody } from '../../../src/server/routes/validate.js';
import type { AppContext } from '../../../src/server/context.js';
import { ApiError } from '../../../src/server/errors.js';
import { loadSpec } from '../../../src/server/spec.js';

const ctx = { spec: loadSpec() } as AppContext;

/** The ApiError validateBody throws for `body` (allocate). */
function refusal(body: unknown): ApiError {
  try {
    validateBody(ctx, 'allocate', body);
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  throw new Error('the body was accepted');
}

describe('validateBody', () => {
  it('returns a valid body with its schema defaults filled in', () => {
    expect(validateBody(ctx, 'allocate', { problem: 'fdma-delay', gains: [1, 2] })).toMatchObject({ problem: 'fdma-delay', gains: [1, 2], solver: 'dnn' });
  });

  it('a missing body or a malformed one is a 400 invalid-request naming each field', () => {
    expect([refusal(undefined).code, refusal(undefined).detail]).toEqual(['invalid-request', 'body: a JSON object is required']);
    const bad = refusal({ problem: 'fdma-delay', gains: [-1, 'x'] });
    expect([bad.status, bad.code, bad.detail]).toEqual([400, 'invalid-request', 'gains/0: must be >= 0; gains/1: must be a finite number']);
  });

  it('a well-formed body with numbers out of range only is a 422 with the operation code', () => {
    const e = refusal({ problem: 'fdma-delay', gains: [1, 2e12] });
    expect([e.status, e.code, e.detail]).toEqual([422, 'invalid-gains', 'gains/1: must be <= 1000000000000']);
  });

  it('lists every error of a small body, and only the first of a body over 4096 values', () => {
    const rows = (count: number) => ({ problem: 'fdma-delay', gains: Array.from({ length: count }, () => Array(50).fill(-1)) });
    expect(refusal(rows(10)).detail).toBe('gains/0/0: must be >= 0 (and 499 more items like it)');
    expect(refusal(rows(100)).detail).toBe('gains/0/0: must be >= 0');
  });

  it('an operation without a request schema is a bug, not a client error', () => {
    expect(() => validateBody(ctx, 'noSuchOperation', {})).toThrow('openapi.yaml: no request schema for noSuchOperation');
  });
});
