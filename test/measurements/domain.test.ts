import { checkMeasurements, insideReportingRanges, MEASUREMENT_RANGES } from '../../src/measurements/domain.js';

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

describe('checkMeasurements', () => {
  it('passes rows inside the ranges, nulls included, and names the first value outside', () => {
    expect(checkMeasurements([[-100, -10, null], [-31, 20, 40]], 'rows')).toEqual([[-100, -10, null], [-31, 20, 40]]);
    expect(() => checkMeasurements([[-100, -10, 10], [-100, -44, 10]], 'windows/3')).toThrow(/^windows\/3\/1\/1: RSRQ must be >= -43 dB$/);
    expect(() => checkMeasurements([[-100, -10]], 'rows')).toThrow(/^rows\/0/);
    expect(() => checkMeasurements([[-100, 'x', 1]], 'rows')).toThrow(/^rows\/0\/1: must be a number or null$/);
    expect(() => checkMeasurements({}, 'rows')).toThrow(/^rows: must be an array of \[rsrp, rsrq, sinr\] rows$/);
  });
});
