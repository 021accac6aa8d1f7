import fc from 'fast-check';
import { lambertW0 } from '../../src/solvers/lambert-w.js';

const EPS = Number.EPSILON;

/**
 * Backward error |w e^w - z| / z. Rounding w itself (one ulp, relative EPS/2) moves
 * w e^w by a relative (1 + w) EPS/2, so that is the attainable floor; we allow 4x.
 */
function checkW(z: number): void {
  const w = lambertW0(z);
  expect(w).toBeGreaterThan(0);
  const residual = Math.abs(w * Math.exp(w) - z) / z;
  expect(residual).toBeLessThanOrEqual(Math.max(1e-15, 4 * EPS * (1 + w)));
  // Forward check: w is within 4 ulps of the root (w e^w is increasing).
  const lo = w * (1 - 4 * EPS);
  const hi = w * (1 + 4 * EPS);
  expect(lo * Math.exp(lo)).toBeLessThanOrEqual(z);
  expect(hi * Math.exp(hi)).toBeGreaterThanOrEqual(z);
}

describe('lambertW0', () => {
  it('known values', () => {
    expect(lambertW0(0)).toBe(0);
    expect(lambertW0(Math.E)).toBeCloseTo(1, 15);
    expect(lambertW0(1)).toBeCloseTo(0.5671432904097838, 15); // omega constant
    expect(lambertW0(2 * Math.exp(2))).toBeCloseTo(2, 14);
    expect(lambertW0(1e-300)).toBe(1e-300);
  });

  it('w e^w = z to ~1e-15 relative on a grid over [1e-300, 1e300]', () => {
    for (let e = -300; e <= 300; e += 0.25) checkW(10 ** e);
    // Around the branches of the starting guess.
    for (const z of [0.0999999, 0.1, 0.1000001, Math.E - 1e-12, Math.E, Math.E + 1e-12, 1e-16, 5e-324, Number.MAX_VALUE / 1e10]) checkW(z);
  });

  it('w e^w = z to ~1e-15 relative for random z in [1e-300, 1e300]', () => {
    fc.assert(
      fc.property(fc.double({ min: -300, max: 300, noNaN: true }), (e) => checkW(10 ** e)),
      { numRuns: 1000, seed: 7 },
    );
  });

  it('a warm start converges to the same value', () => {
    fc.assert(
      fc.property(fc.double({ min: -20, max: 20, noNaN: true }), fc.double({ min: 0.5, max: 2, noNaN: true }), (e, f) => {
        const z = 10 ** e;
        const w = lambertW0(z);
        expect(Math.abs(lambertW0(z, w * f) - w)).toBeLessThanOrEqual(4 * EPS * w);
      }),
      { numRuns: 200, seed: 8 },
    );
  });

  it('rejects negative, non-finite and NaN arguments', () => {
    for (const z of [-1, -1e-300, Infinity, -Infinity, NaN]) expect(() => lambertW0(z)).toThrow(RangeError);
  });
});
