import { solveFdmaDelayIpm } from '../../src/solvers/ipm.js';
import { solveFdmaDelayExact } from '../../src/solvers/fdma-delay-exact.js';
import { fdmaMeanDelay, sum } from '../../src/solvers/objectives.js';
import { FDMA_DELAY_DEFAULTS } from '../../src/solvers/params.js';
import { rayleighGains } from '../../src/channels/rayleigh.js';
import { seededUniform } from '../../src/random.js';

const P = FDMA_DELAY_DEFAULTS;

describe('solveFdmaDelayIpm', () => {
  it.each([1, 2, 5, 20, 100])('converges on Rayleigh instances, N = %i, in a reasonable number of iterations', (n) => {
    const count = n === 100 ? 5 : 30;
    const gains = rayleighGains(seededUniform(`ipm:${n}`), count, n);
    const iterations: number[] = [];
    for (let s = 0; s < count; s++) {
      const row = gains.subarray(s * n, (s + 1) * n);
      const r = solveFdmaDelayIpm(P, row);
      expect(r.converged).toBe(true);
      expect(r.relativeGap).toBeLessThanOrEqual(1e-12);
      iterations.push(r.iterations);
      // Strictly feasible.
      for (const p of r.power) {
        expect(p).toBeGreaterThan(0);
        expect(p).toBeLessThan(P.totalPowerW);
      }
      expect(sum(r.power)).toBeLessThanOrEqual(P.totalPowerW);
      expect(sum(r.power)).toBeGreaterThan(P.totalPowerW * (1 - 1e-9));
    }
    expect(Math.max(...iterations)).toBeLessThanOrEqual(40);
    expect(Math.min(...iterations)).toBeGreaterThanOrEqual(5);
  });

  it.each([
    ['[1e-5, 1, 5]', [1e-5, 1, 5]],
    ['[1e-5]', [1e-5]],
    ['[1e-6, 1e3]', [1e-6, 1e3]],
    ['[1e-8, 1e6]', [1e-8, 1e6]],
    ['[1e-300, 1]', [1e-300, 1]],
    ['50 gains log-spaced over 1e-6..1e3', Array.from({ length: 50 }, (_, i) => 10 ** (-6 + (9 * i) / 49))],
  ])('badly scaled instance %s converges', (_name, gains) => {
    const r = solveFdmaDelayIpm(P, gains);
    expect(r.converged).toBe(true);
    expect(r.iterations).toBeLessThanOrEqual(60);
    const exact = fdmaMeanDelay(P, gains, solveFdmaDelayExact(P, gains));
    expect(Math.abs(fdmaMeanDelay(P, gains, r.power) - exact) / exact).toBeLessThanOrEqual(1e-9);
  });

  it('a looser tolerance stops earlier; maxIter is respected and the iterate stays feasible', () => {
    const gains = [0.3, 1.2, 0.05, 2.5, 0.9];
    const tight = solveFdmaDelayIpm(P, gains);
    const loose = solveFdmaDelayIpm(P, gains, { tol: 1e-4 });
    expect(loose.converged).toBe(true);
    expect(loose.iterations).toBeLessThan(tight.iterations);
    const exact = fdmaMeanDelay(P, gains, solveFdmaDelayExact(P, gains));
    expect(fdmaMeanDelay(P, gains, loose.power) / exact - 1).toBeLessThanOrEqual(1e-4);
    const capped = solveFdmaDelayIpm(P, gains, { maxIter: 3 });
    expect(capped.converged).toBe(false);
    expect(capped.iterations).toBe(3);
    for (const p of capped.power) expect(p).toBeGreaterThan(0);
    expect(sum(capped.power)).toBeLessThan(P.totalPowerW);
  });

  it('scales with Ptot (the solution in units of Ptot depends on a Ptot only)', () => {
    const gains = [0.2, 1, 3];
    const a = solveFdmaDelayIpm({ totalPowerW: 10 }, gains).power;
    const b = solveFdmaDelayIpm({ totalPowerW: 1 }, gains.map((g) => g * 10)).power;
    for (let i = 0; i < 3; i++) expect(a[i] / 10).toBeCloseTo(b[i], 6);
  });

  it('rejects bad input with a message naming the field and the rule', () => {
    expect(() => solveFdmaDelayIpm(P, [])).toThrow(/gains must contain at least one value/);
    expect(() => solveFdmaDelayIpm(P, [1, -1])).toThrow(/gains\[1\] must be a finite number > 0/);
    expect(() => solveFdmaDelayIpm(P, [1, 0])).toThrow(/gains\[1\]/);
    expect(() => solveFdmaDelayIpm(P, [NaN])).toThrow(/gains\[0\]/);
    expect(() => solveFdmaDelayIpm(P, [1, Infinity])).toThrow(/gains\[1\]/);
    expect(() => solveFdmaDelayIpm({ totalPowerW: 0 }, [1])).toThrow(/totalPowerW must be a finite number > 0/);
    expect(() => solveFdmaDelayIpm({ totalPowerW: NaN }, [1])).toThrow(/totalPowerW/);
    expect(() => solveFdmaDelayIpm(P, [1], { tol: 0 })).toThrow(/options.tol/);
    expect(() => solveFdmaDelayIpm(P, [1], { maxIter: 2.5 })).toThrow(/options.maxIter must be an integer >= 1/);
    expect(() => solveFdmaDelayIpm(P, [1, -1])).toThrow(RangeError);
  });
});
