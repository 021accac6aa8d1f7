import { bandDelaySeconds, boxViolation, fdmaConstraintViolation, fdmaMeanDelay, sum, sumCapacityBits } from '../../src/solvers/objectives.js';
import type { FdmaDelayParams } from '../../src/solvers/params.js';

const p: FdmaDelayParams = { totalPowerW: 10, bandwidthHz: 1e6, packetBits: 1e6, meanGainDb: 0 };

describe('objectives on hand-computed cases', () => {
  it('FDMA delay: L / (W log2(1 + aP)) per band, averaged; infinite for a band without power', () => {
    expect(bandDelaySeconds(p, 1, 1)).toBeCloseTo(1, 12); // log2(2) = 1
    expect(bandDelaySeconds(p, 3, 1)).toBeCloseTo(0.5, 12); // log2(4) = 2
    expect(fdmaMeanDelay(p, [1, 3], [1, 1])).toBeCloseTo(0.75, 12);
    expect(fdmaMeanDelay(p, [1, 3], [1, 0])).toBe(Infinity);
  });

  it('FDMA delay keeps its digits in a deep fade (aP = 1e-12)', () => {
    const delay = bandDelaySeconds(p, 1e-12, 1);
    expect(Math.abs((delay * 1e-12) / Math.LN2 - 1)).toBeLessThan(1e-9);
  });

  it('FDMA constraint violation: the largest of a negative power, a power over Ptot and the sum over Ptot', () => {
    expect(fdmaConstraintViolation(p, [2, 3, 5])).toBe(0);
    expect(fdmaConstraintViolation(p, [-1, 2])).toBe(1);
    expect(fdmaConstraintViolation(p, [6, 6])).toBe(2);
    expect(fdmaConstraintViolation(p, [12, -1])).toBe(2);
  });

  it('sum capacity log2(1 + sum g P), the box violation and the sum', () => {
    expect(sumCapacityBits([1, 2], [1, 1])).toBeCloseTo(2, 12);
    expect(sumCapacityBits([5, 7], [0, 0])).toBe(0);
    expect(boxViolation(1, [0, 1])).toBe(0);
    expect(boxViolation(1, [0.5, 1.25, -0.5])).toBe(0.5);
    expect(sum([1, 2, 3.5])).toBe(6.5);
  });
});
