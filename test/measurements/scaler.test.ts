import { fitMinMax, scaleValue, unscaleValue } from '../../src/measurements/scaler.js';

describe('min-max scaler', () => {
  const rows = [
    [-100, -12, 5],
    [-80, -10, 5],
    [-90, -11, 5],
  ];
  const s = fitMinMax(['RSRP', 'RSRQ', 'SINR'], rows);

  it('fits each column to [0, 1] on the fitting rows', () => {
    expect(s).toEqual({ columns: ['RSRP', 'RSRQ', 'SINR'], min: [-100, -12, 5], max: [-80, -10, 5] });
    expect([scaleValue(s, 0, -100), scaleValue(s, 0, -90), scaleValue(s, 0, -80)]).toEqual([0, 0.5, 1]);
  });

  it('scales a constant column with range 1, as scikit-learn does, so nothing divides by zero', () => {
    expect(scaleValue(s, 2, 7)).toBe(2);
    expect(unscaleValue(s, 2, 2)).toBe(7);
  });

  it('unscale inverts scale, also outside the fitted range (no clamp)', () => {
    for (const v of [-130, -95.5, -60]) expect(unscaleValue(s, 0, scaleValue(s, 0, v))).toBeCloseTo(v, 12);
    expect(scaleValue(s, 1, -14)).toBe(-1);
  });

  it('refuses to fit on zero rows', () => {
    expect(() => fitMinMax(['RSRP'], [])).toThrow('cannot fit a scaler on zero rows');
  });
});
