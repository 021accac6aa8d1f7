/** The one mapping from InputError to problem+json. */
import { checkInput, fieldPointer, inputProblem, problemBody } from '../../src/server/errors.js';
import { InputError } from '../../src/input-error.js';

describe('InputError as problem+json', () => {
  test.each([
    ['gains[3][1]', '/gains/3/1'],
    ['gains/3/1', '/gains/3/1'],
    ['profile.min', '/profile/min'],
    ['rows', '/rows'],
  ])('field %s is the pointer %s', (field, pointer) => {
    expect(fieldPointer(field)).toBe(pointer);
  });

  test('names the field and the rule; unexpected bad input is a 400 invalid-request', () => {
    const body = problemBody(inputProblem(new InputError('rows', 'need at least one row')));
    expect(body).toMatchObject({ status: 400, code: 'invalid-request', detail: 'rows: need at least one row', errors: [{ field: '/rows', message: 'need at least one row' }] });
  });

  test('checkInput gives bad input the operation code and lets bugs pass unchanged', () => {
    expect(() => checkInput('invalid-gains', () => {
      throw new InputError('gains/0/1', 'must be >= 0');
    })).toThrow(expect.objectContaining({ status: 422, code: 'invalid-gains', detail: 'gains/0/1: must be >= 0' }));
    const bug = new TypeError('x is undefined');
    expect(() => checkInput('invalid-gains', () => {
      throw bug;
    })).toThrow(bug);
  });
});
