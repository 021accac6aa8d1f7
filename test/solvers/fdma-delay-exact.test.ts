import fc from 'fast-check';
import { solveFdmaDelayExact, type ExactSolveStats } from '../../src/solvers/fdma-delay-exact.js';
import { solveFdmaDelayIpm } from '../../src/solvers/ipm.js';
import { fdmaConstraintViolation, fdmaMeanDelay, sum } from '../../src/solvers/objectives.js';
import { FDMA_DELAY_DEFAULTS, type FdmaDelayParams } from '../../src/solvers/params.js';
import { rayleighGains } from '../../src/channels/rayleigh.js';
import { seededUniform } from '../../src/random.js';

const P = FDMA_DELAY_DEFAULTS;

/** Gains log-uniform in [1e-6, 1e3] (1/W), N in [1, 30]. */
const gainsArb = fc
  .array(fc.double({ min: -6, max: 3, noNaN: true }), { minLength: 1, maxLength: 30 })
  .map((e) => e.map((x) => 10 ** x));
const ptotArb = fc.double({ min: -2, max: 3, noNaN: true }).map((x) => 10 ** x);

/** -d/dP of the band delay (up to the common factor L ln2 / W): a / ((1 + aP) ln(1 + aP)^2). */
function marginal(a: number, p: number): number {
  const u = Math.log1p(a * p);
  return a / ((1 + a * p) * u * u);
}

function relSpread(values: number[]): number {
  return Math.max(...values) / Math.min(...values) - 1;
}

function relObjectiveGap(params: FdmaDelayParams, gains: ArrayLike<number>): number {
  const exact = fdmaMeanDelay(params, gains, solveFdmaDelayExact(params, gains));
  const ipm = solveFdmaDelayIpm(params, gains);
  expect(ipm.converged).toBe(true);
  return Math.abs(fdmaMeanDelay(params, gains, ipm.power) - exact) / exact;
}

describe('solveFdmaDelayExact: KKT optimality and feasibility', () => {
  it('random instances (gains 1e-6..1e3, Ptot 1e-2..1e3): P > 0, sum P = Ptot, equal marginal delays', () => {
    fc.assert(
      fc.property(gainsArb, ptotArb, (gains, ptot) => {
        const params = { ...P, totalPowerW: ptot };
        const power = solveFdmaDelayExact(params, gains);
        expect(power.length).toBe(gains.length);
        for (const p of power) {
          expect(p).toBeGreaterThan(0);
          expect(p).toBeLessThanOrEqual(ptot);
        }
        expect(Math.abs(sum(power) - ptot)).toBeLessThanOrEqual(1e-12 * ptot);
        expect(fdmaConstraintViolation(params, power)).toBeLessThanOrEqual(1e-12 * ptot);
        if (gains.length > 1) expect(relSpread(gains.map((a, i) => marginal(a, power[i])))).toBeLessThanOrEqual(1e-9);
      }),
      { numRuns: 200, seed: 11 },
    );
  });

  it('N = 1 gives the whole budget', () => {
    for (const a of [1e-6, 1e-5, 1, 1e3]) {
      const stats: ExactSolveStats = { iterations: -1 };
      expect(Array.from(solveFdmaDelayExact(P, [a], undefined, stats))).toEqual([P.totalPowerW]);
      expect(stats.iterations).toBe(0);
    }
  });

  it('deep fades: nearly all power goes to the faded band, KKT holds', () => {
    for (const gains of [
      [1e-5, 1, 5],
      [1e-5, 1e-5, 1e-5, 1e-5, 1e-5],
      [1e-5, 1e3],
      [1e-6, 1e-5, 1e-4, 0.1, 1, 10, 100, 1000],
    ]) {
      const power = solveFdmaDelayExact(P, gains);
      expect(Math.abs(sum(power) - P.totalPowerW)).toBeLessThanOrEqual(1e-12 * P.totalPowerW);
      expect(relSpread(gains.map((a, i) => marginal(a, power[i])))).toBeLessThanOrEqual(1e-9);
      for (const p of power) expect(p).toBeGreaterThan(0);
    }
    const mix = solveFdmaDelayExact(P, [1e-5, 1, 5]);
    expect(mix[0]).toBeGreaterThan(0.99 * P.totalPowerW);
    // Equal gains share the budget equally.
    const equal = solveFdmaDelayExact(P, [1e-5, 1e-5, 1e-5, 1e-5]);
    for (const p of equal) expect(p).toBeCloseTo(P.totalPowerW / 4, 12);
  });

  it('writes into `out` and reuses it', () => {
    const out = new Float64Array(3);
    expect(solveFdmaDelayExact(P, [0.5, 1, 2], out)).toBe(out);
    expect(Math.abs(sum(out) - P.totalPowerW)).toBeLessThanOrEqual(1e-12 * P.totalPowerW);
  });

  it('is a minimum: random feasible perturbations never do better', () => {
    fc.assert(
      fc.property(
        gainsArb.filter((g) => g.length >= 2),
        fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 30, maxLength: 30 }),
        fc.double({ min: -6, max: -0.5, noNaN: true }),
        fc.double({ min: 0, max: 0.5, noNaN: true }),
        (gains, dir, logSize, shrink) => {
          const n = gains.length;
          const best = solveFdmaDelayExact(P, gains);
          const fBest = fdmaMeanDelay(P, gains, best);
          // Direction with zero sum, scaled so every power stays positive.
          const d = dir.slice(0, n);
          const mean = sum(d) / n;
          for (let i = 0; i < n; i++) d[i] -= mean;
          let room = Infinity;
          for (let i = 0; i < n; i++) if (d[i] < 0) room = Math.min(room, best[i] / -d[i]);
          const step = Number.isFinite(room) ? room * 10 ** logSize : 0;
          const other = best.map((p, i) => (p + step * d[i]) * (1 - shrink));
          expect(fdmaConstraintViolation(P, other)).toBeLessThanOrEqual(1e-12 * P.totalPowerW);
          expect(fBest).toBeLessThanOrEqual(fdmaMeanDelay(P, gains, other) * (1 + 1e-13));
        },
      ),
      { numRuns: 200, seed: 12 },
    );
  });
});

describe('solveFdmaDelayExact agrees with the IPM baseline (relative objective <= 1e-9)', () => {
  it.each([1, 2, 20, 100])('Rayleigh instances, N = %i', (n) => {
    const count = n === 100 ? 5 : 20;
    const gains = rayleighGains(seededUniform(`exact-vs-ipm:${n}`), count, n);
    for (let s = 0; s < count; s++) expect(relObjectiveGap(P, gains.subarray(s * n, (s + 1) * n))).toBeLessThanOrEqual(1e-9);
  });

  it.each([
    ['deep fade mix', [1e-5, 1, 5]],
    ['single deep fade', [1e-5]],
    ['two deep fades', [1e-5, 2e-5]],
    ['extreme spread', [1e-6, 1e3]],
    ['20 bands, 5 deep fades', Array.from({ length: 20 }, (_, i) => (i % 4 === 0 ? 1e-5 * (1 + i) : 0.1 * (1 + i)))],
    ['100 bands, log-spread', Array.from({ length: 100 }, (_, i) => 10 ** (-6 + (9 * i) / 99))],
  ])('%s', (_name, gains) => {
    expect(relObjectiveGap(P, gains)).toBeLessThanOrEqual(1e-9);
  });

  it('random instances (gains 1e-6..1e3)', () => {
    fc.assert(
      fc.property(gainsArb, (gains) => {
        expect(relObjectiveGap(P, gains)).toBeLessThanOrEqual(1e-9);
      }),
      { numRuns: 100, seed: 13 },
    );
  });
});
