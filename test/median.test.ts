import { median } from '../src/median.js';

describe('median', () => {
  it('is the middle value of an odd count, compared as numbers (not as text)', () => {
    expect(median([10, 9, 100])).toBe(10);
    expect(median(Float32Array.of(-2, 3, -30))).toBe(-2);
  });

  it('is the mean of the two middle values of an even count', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('is NaN for no values', () => {
    expect(median([])).toBeNaN();
  });
});
