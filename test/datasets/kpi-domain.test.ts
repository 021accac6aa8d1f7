import { insideReportingRanges, MEASUREMENT_RANGES } from '../../src/datasets/kpi-domain.js';

describe('insideReportingRanges', () => {
  it('accepts both edges of every range, inclusive', () => {
    expect(insideReportingRanges(MEASUREMENT_RANGES.map((m) => m.range[0]))).toBe(true);
    expect(insideReportingRanges(MEASUREMENT_RANGES.map((m) => m.range[1]))).toBe(true);
  });

  it.each([0, 1, 2])('refuses a value just outside the range of column %i, at either edge', (column) => {
    const inside = [-100, -10, 10];
    const [lo, hi] = MEASUREMENT_RANGES[column].range;
    for (const value of [lo - 0.01, hi + 0.01, NaN]) {
      const measurement = inside.slice();
      measurement[column] = value;
      expect(insideReportingRanges(measurement)).toBe(false);
    }
    expect(insideReportingRanges(inside)).toBe(true);
  });
});
