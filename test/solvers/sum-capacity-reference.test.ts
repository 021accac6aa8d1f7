import { sumCapacityReference } from '../../src/solvers/sum-capacity-reference.js';
import { SUM_CAPACITY_DEFAULTS } from '../../src/solvers/params.js';

it('N = 5, per-user budget, 200k samples: optimum is 2.256 bits (the per-user-budget reference) within its standard error', () => {
  const r = sumCapacityReference(SUM_CAPACITY_DEFAULTS, 5, 200000, 1);
  expect(r.stdErrBits).toBeGreaterThan(0);
  expect(r.stdErrBits).toBeLessThan(0.005);
  expect(Math.abs(r.capacityBits - 2.256)).toBeLessThan(0.01);
  // 2.256 is rounded to 1e-3: within 4 standard errors plus the rounding.
  expect(Math.abs(r.capacityBits - 2.256)).toBeLessThan(4 * r.stdErrBits + 5e-4);
  expect(Math.abs(r.meanPower - 2.5)).toBeLessThanOrEqual(1e-9 * 2.5);
});
