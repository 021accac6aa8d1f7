import { parseInterferenceGains } from '../../src/solvers/interference-input.js';
import { InputError } from '../../src/input-error.js';

function errorOf(value: unknown): string {
  try {
    parseInterferenceGains(value);
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return (err as Error).message;
  }
  throw new Error('no error');
}

describe('interference gain validation', () => {
  it('reads one K x K matrix and a batch of them, row-major', () => {
    const one = parseInterferenceGains([
      [1, 0.5],
      [0.25, 2],
    ]);
    expect(one.count).toBe(1);
    expect(one.k).toBe(2);
    expect(Array.from(one.gains)).toEqual([1, 0.5, 0.25, 2]);
    const batch = parseInterferenceGains([[[3]], [[0]]]);
    expect({ count: batch.count, k: batch.k, gains: Array.from(batch.gains) }).toEqual({ count: 2, k: 1, gains: [3, 0] });
  });

  it('names the entry and the rule', () => {
    expect(errorOf([[1, -1], [0, 1]])).toBe('gains[0][1]: must be >= 0 (a power gain)');
    expect(errorOf([[[1, 2], [3, 4]], [[1, 2], [3, NaN]]])).toBe('gains[1][1][1]: must be a finite number');
    expect(errorOf([[1, 1e13], [0, 1]])).toBe('gains[0][1]: must be <= 1e+12 (120 dB above the mean gain)');
    expect(errorOf([[1, Infinity], [0, 1]])).toMatch(/^gains\[0\]\[1\]: must be/);
    expect(errorOf([[1, 'x'], [0, 1]])).toBe('gains[0][1]: must be a finite number');
  });

  it('requires square matrices of one K per batch, K in [1, 100]', () => {
    expect(errorOf([[1, 2], [3]])).toBe('gains[1]: has 1 gains but the matrix has 2 rows (it must be square, K x K)');
    expect(errorOf([[1, 2, 3], [3, 4, 5]])).toBe('gains[0]: has 3 gains but the matrix has 2 rows (it must be square, K x K)');
    expect(errorOf([[[1]], [[1, 2], [3, 4]]])).toBe('gains[1]: has 2 rows but gains[0] has 1 (every matrix of a batch must have the same K)');
    const big = Array.from({ length: 101 }, () => new Array(101).fill(1));
    expect(errorOf(big)).toBe('gains: must hold K <= 100 rows (pairs)');
    expect(errorOf([])).toBe('gains: must be a K x K gain matrix or a non-empty array of them');
    expect(errorOf('x')).toBe('gains: must be a K x K gain matrix or a non-empty array of them');
  });
});
