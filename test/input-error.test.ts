import { InputError } from '../src/input-error.js';

describe('InputError', () => {
  it('keeps the field and the rule apart, and shows them as `field: rule`', () => {
    const err = new InputError('--ema', 'must be in [0, 1)');
    expect([err.field, err.rule, err.message, err.name]).toEqual(['--ema', 'must be in [0, 1)', '--ema: must be in [0, 1)', 'InputError']);
  });

  it('splits one message at its first ": " only; a message without one has no field', () => {
    const err = new InputError('gains[3][1]: must be >= 0: got -1');
    expect([err.field, err.rule]).toEqual(['gains[3][1]', 'must be >= 0: got -1']);
    const bare = new InputError('something is wrong');
    expect([bare.field, bare.rule, bare.message]).toEqual(['', 'something is wrong', 'something is wrong']);
  });

  it('under(option) prefixes the option, without repeating `--solver` over `solver`', () => {
    const inner = new InputError('gains[3][1]', 'must be >= 0');
    expect(inner.under('--input').message).toBe('--input: gains[3][1]: must be >= 0');
    expect(inner.under('--input').field).toBe('--input');
    expect(new InputError('solver', "must be 'exact'").under('--solver').message).toBe("--solver: must be 'exact'");
  });
});
