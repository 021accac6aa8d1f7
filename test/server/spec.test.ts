import type { ErrorObject } from 'ajv';
import { describeFieldErrors, fieldErrors, onlyRangeErrors, toFieldErrors } from '../../src/server/spec.js';

const error = (instancePath: string, keyword: string, params: Record<string, unknown>, message?: string): ErrorObject =>
  ({ instancePath, keyword, params, message, schemaPath: '#' }) as ErrorObject;

describe('ajv errors as field errors', () => {
  it('names the missing or unknown property, the allowed values, and a finite number', () => {
    expect(
      toFieldErrors([
        error('', 'required', { missingProperty: 'gains' }),
        error('', 'additionalProperties', { additionalProperty: 'gian' }),
        error('/solver', 'enum', { allowedValues: ['exact', 'ipm'] }),
        error('/lambda', 'type', { type: 'number' }, 'must be number'),
      ]),
    ).toEqual([
      { field: '/gains', message: 'is required' },
      { field: '/gian', message: 'is not a known property' },
      { field: '/solver', message: 'must be one of "exact", "ipm"' },
      { field: '/lambda', message: 'must be a finite number' },
    ]);
  });

  it('reports one rule broken by many items once, with a count', () => {
    const errors = [0, 1, 2].map((i) => error(`/gains/${i}`, 'minimum', {}, 'must be >= 0'));
    expect(toFieldErrors(errors)).toEqual([{ field: '/gains/0', message: 'must be >= 0 (and 2 more items like it)' }]);
    expect(onlyRangeErrors(errors)).toBe(true);
    expect(onlyRangeErrors([...errors, error('/x', 'type', { type: 'string' })])).toBe(false);
    expect(onlyRangeErrors([])).toBe(false);
  });

  it('under a oneOf, keeps the errors of the branch the first item shows was meant', () => {
    const errors = [
      error('/gains', 'oneOf', {}),
      error('/gains/0', 'type', { type: 'array' }, 'must be array'),
      error('/gains/1', 'type', { type: 'number' }, 'must be number'),
    ];
    // A vector of numbers was meant: "must be array" belongs to the batch branch.
    expect(fieldErrors(errors, { gains: [1, 'x'] })).toEqual([{ field: '/gains/1', message: 'must be a finite number' }]);
  });

  it('describes field errors in one line, the root as body', () => {
    expect(describeFieldErrors([{ field: '/', message: 'must be object' }, { field: '/gains/3', message: 'must be >= 0' }])).toBe('body: must be object; gains/3: must be >= 0');
  });
});
