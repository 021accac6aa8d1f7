import { sumRateOf, sumRates } from '../../src/solvers/interference-objective.js';

describe('sum rate of the interference channel', () => {
  it('matches hand-computed cases', () => {
    const g = [2, 1, 1, 2]; // G_11 = G_22 = 2, cross gains 1
    expect(sumRateOf(g, 2, [1, 1], 1)).toBeCloseTo(2, 12); // 2 x log2(1 + 2 / (1 + 1))
    expect(sumRateOf(g, 2, [1, 0], 1)).toBeCloseTo(Math.log2(3), 12);
    expect(sumRateOf(g, 2, [0, 0], 1)).toBe(0);
    const batch = sumRates([...g, 4, 0, 0, 4], 2, 2, [1, 1, 1, 1], 1);
    expect(Array.from(batch)).toEqual([sumRateOf(g, 2, [1, 1], 1), 2 * Math.log2(5)]);
  });
});

