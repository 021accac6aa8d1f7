import { logTicks } from '../../src/charts/log-axis.js';

describe('log axis ticks', () => {
  it('are the powers of ten around data spanning several decades', () => {
    expect(logTicks([3e-4, 0.02, 0.5])).toEqual([1e-4, 1e-3, 1e-2, 1e-1, 1]);
  });

  it('are exact 1-2-5 steps around data inside one decade', () => {
    expect(logTicks([0.0025, 0.0027, 0.0031])).toEqual([0.002, 0.005]);
    expect(logTicks([0.0021, 0.0098])).toEqual([0.002, 0.005, 0.01]);
  });

  it('leave out zero, negative and missing values', () => {
    expect(logTicks([0, -1, NaN, 0.5, 20])).toEqual([0.1, 1, 10, 100]);
    expect(logTicks([0, NaN])).toEqual([]);
  });
});
