import { DEFAULT_ALLOCATION_PARAMS } from '../../../src/dnn/allocation/tasks.js';
import { isTrustedInstance, trustedGainRange } from '../../../src/dnn/allocation/trusted-inputs.js';

describe('trusted inputs of an allocation network', () => {
  it('trusts gains between the Exp(1) quantiles of tail probability 1e-7, scaled by the mean gain', () => {
    const unit = trustedGainRange('sum-capacity', DEFAULT_ALLOCATION_PARAMS);
    // P(X < min) = 1 - exp(-min) = 1e-7 and P(X > max) = exp(-max) = 1e-7.
    expect(-Math.expm1(-unit.min)).toBeCloseTo(1e-7, 20);
    expect(Math.exp(-unit.max)).toBeCloseTo(1e-7, 20);
    const params = { ...DEFAULT_ALLOCATION_PARAMS, fdmaDelay: { ...DEFAULT_ALLOCATION_PARAMS.fdmaDelay, meanGainDb: 10 } };
    const scaled = trustedGainRange('fdma-delay', params);
    expect(scaled.min / unit.min).toBeCloseTo(10, 10);
    expect(scaled.max / unit.max).toBeCloseTo(10, 10);
  });

  it('an instance is trusted only when every gain is inside, edges included', () => {
    const range = { min: 0.5, max: 2 };
    expect(isTrustedInstance([0.5, 1, 2], range)).toBe(true);
    expect(isTrustedInstance([1, 2.01], range)).toBe(false);
    expect(isTrustedInstance([0.49, 1], range)).toBe(false);
  });
});
