import fc from 'fast-check';
import { solveSumCapacityOptimum, solveSumCapacitySample } from '../../src/solvers/sum-capacity-exact.js';
import { boxViolation, sum, sumCapacityBits } from '../../src/solvers/objectives.js';
import { SUM_CAPACITY_DEFAULTS, sumCapacityBudget } from '../../src/solvers/params.js';
import { rayleighGains } from '../../src/channels/rayleigh.js';
import { seededUniform } from '../../src/random.js';

/** Per-sample Lagrangian log2(1 + sum g P) - lambda sum P. */
function lagrangian(gains: ArrayLike<number>, power: ArrayLike<number>, lambda: number): number {
  return sumCapacityBits(gains, power) - lambda * sum(power);
}

/**
 * Brute force: accelerated projected-gradient ascent (FISTA with restart) on the box
 * [0, Pmax]^N, step 1/L with L = ||g||^2 / ln 2 (largest curvature of the log term).
 */
function projectedGradient(gains: number[], lambda: number, pmax: number, iterations = 4000): Float64Array {
  const n = gains.length;
  const lip = gains.reduce((s, g) => s + g * g, 0) / Math.LN2;
  const step = 1 / lip;
  let x = new Float64Array(n).fill(pmax / 2);
  let y = Float64Array.from(x);
  let tk = 1;
  let fPrev = lagrangian(gains, x, lambda);
  for (let k = 0; k < iterations; k++) {
    const snr = gains.reduce((s, g, i) => s + g * y[i], 0);
    const next = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const grad = gains[i] / ((1 + snr) * Math.LN2) - lambda;
      next[i] = Math.min(pmax, Math.max(0, y[i] + step * grad));
    }
    const f = lagrangian(gains, next, lambda);
    if (f < fPrev) {
      // Restart the momentum when the objective drops.
      y = Float64Array.from(x);
      tk = 1;
      continue;
    }
    const tNext = (1 + Math.sqrt(1 + 4 * tk * tk)) / 2;
    for (let i = 0; i < n; i++) y[i] = next[i] + ((tk - 1) / tNext) * (next[i] - x[i]);
    x = next;
    tk = tNext;
    fPrev = f;
  }
  return x;
}

/** Exhaustive grid over [0, Pmax]^N (N <= 2) refined around the best point. */
function gridSearch(gains: number[], lambda: number, pmax: number): number {
  const n = gains.length;
  let lo = new Array<number>(n).fill(0);
  let hi = new Array<number>(n).fill(pmax);
  let best = -Infinity;
  let arg = new Array<number>(n).fill(0);
  const k = 40;
  for (let round = 0; round < 12; round++) {
    const pts = lo.map((l, i) => Array.from({ length: k + 1 }, (_, j) => l + ((hi[i] - l) * j) / k));
    const visit = (prefix: number[]): void => {
      if (prefix.length === n) {
        const f = lagrangian(gains, prefix, lambda);
        if (f > best) {
          best = f;
          arg = prefix;
        }
        return;
      }
      for (const v of pts[prefix.length]) visit([...prefix, v]);
    };
    visit([]);
    const width = hi.map((h, i) => (h - lo[i]) / k);
    lo = arg.map((a, i) => Math.max(0, a - 2 * width[i]));
    hi = arg.map((a, i) => Math.min(pmax, a + 2 * width[i]));
  }
  return best;
}

const caseArb = fc.record({
  gains: fc.array(fc.double({ min: 0.01, max: 5, noNaN: true }), { minLength: 1, maxLength: 4 }),
  lambda: fc.double({ min: 0.02, max: 4, noNaN: true }),
  pmax: fc.double({ min: 0.1, max: 3, noNaN: true }),
});

describe('solveSumCapacitySample (per-sample closed form)', () => {
  it('satisfies the KKT conditions of the box-constrained per-sample problem', () => {
    fc.assert(
      fc.property(caseArb, ({ gains, lambda, pmax }) => {
        const p = solveSumCapacitySample(gains, lambda, pmax);
        expect(boxViolation(pmax, p)).toBe(0);
        const snr = gains.reduce((s, g, i) => s + g * p[i], 0);
        for (let i = 0; i < gains.length; i++) {
          const slope = gains[i] / ((1 + snr) * Math.LN2) - lambda; // d/dP_i of the Lagrangian
          const tol = 1e-12 * Math.max(1, lambda);
          if (p[i] === 0) expect(slope).toBeLessThanOrEqual(tol);
          else if (p[i] === pmax) expect(slope).toBeGreaterThanOrEqual(-tol);
          else expect(Math.abs(slope)).toBeLessThanOrEqual(tol);
        }
      }),
      { numRuns: 200, seed: 21 },
    );
  });

  it('matches a brute-force projected-gradient maximisation (N <= 4)', () => {
    fc.assert(
      fc.property(caseArb, ({ gains, lambda, pmax }) => {
        const closed = lagrangian(gains, solveSumCapacitySample(gains, lambda, pmax), lambda);
        const brute = lagrangian(gains, projectedGradient(gains, lambda, pmax), lambda);
        expect(closed).toBeGreaterThanOrEqual(brute - 1e-12);
        expect(closed - brute).toBeLessThanOrEqual(1e-7);
      }),
      { numRuns: 100, seed: 22 },
    );
  });

  it('matches a fine grid search (N <= 2)', () => {
    fc.assert(
      fc.property(
        caseArb.filter((c) => c.gains.length <= 2),
        ({ gains, lambda, pmax }) => {
          const closed = lagrangian(gains, solveSumCapacitySample(gains, lambda, pmax), lambda);
          const grid = gridSearch(gains, lambda, pmax);
          expect(closed).toBeGreaterThanOrEqual(grid - 1e-12);
          expect(closed - grid).toBeLessThanOrEqual(1e-8);
        },
      ),
      { numRuns: 50, seed: 23 },
    );
  });

  it('lambda <= 0 sends full power on every user; a huge lambda sends nothing', () => {
    expect(Array.from(solveSumCapacitySample([0.5, 2], 0, 1))).toEqual([1, 1]);
    expect(Array.from(solveSumCapacitySample([0.5, 2], 1e6, 1))).toEqual([0, 0]);
  });
});

describe('solveSumCapacityOptimum (lambda* over Monte Carlo samples)', () => {
  const n = 5;
  const samples = 20000;
  const gains = rayleighGains(seededUniform('sum-capacity-test'), samples, n);
  const meanPowerAt = (lambda: number, pmax: number): number => {
    let total = 0;
    const out = new Float64Array(n);
    for (let s = 0; s < samples; s++) total += sum(solveSumCapacitySample(gains.subarray(s * n, (s + 1) * n), lambda, pmax, out));
    return total / samples;
  };

  it.each([
    ['per-user budget', sumCapacityBudget(SUM_CAPACITY_DEFAULTS, n)],
    ['total budget', sumCapacityBudget({ ...SUM_CAPACITY_DEFAULTS, budgetMode: 'total' }, n)],
  ])('lambda* makes the mean power equal the budget (%s)', (_mode, budget) => {
    const r = solveSumCapacityOptimum(gains, n, budget, 1);
    expect(r.lambda).toBeGreaterThan(0);
    expect(Math.abs(r.meanPower - budget)).toBeLessThanOrEqual(1e-9 * budget);
    // Recomputed independently with the per-sample closed form.
    expect(Math.abs(meanPowerAt(r.lambda, 1) - budget)).toBeLessThanOrEqual(1e-9 * budget);
  });

  it('a budget >= N Pmax is not binding: lambda = 0 and every user sends Pmax', () => {
    const r = solveSumCapacityOptimum(gains, n, n * 1, 1);
    expect(r.lambda).toBe(0);
    expect(r.meanPower).toBe(n);
    let cap = 0;
    for (let s = 0; s < samples; s++) cap += Math.log2(1 + sum(gains.subarray(s * n, (s + 1) * n)));
    expect(r.capacityBits).toBeCloseTo(cap / samples, 10);
    expect(solveSumCapacityOptimum(gains, n, 2 * n, 1).lambda).toBe(0);
  });

  it('optimal capacity increases with the budget', () => {
    const budgets = [0.1, 0.5, 1, 2, 2.5, 3, 4, 4.9, 5];
    const caps = budgets.map((b) => solveSumCapacityOptimum(gains, n, b, 1).capacityBits);
    for (let i = 1; i < caps.length; i++) expect(caps[i]).toBeGreaterThan(caps[i - 1]);
    const lambdas = budgets.map((b) => solveSumCapacityOptimum(gains, n, b, 1).lambda);
    for (let i = 1; i < lambdas.length; i++) expect(lambdas[i]).toBeLessThan(lambdas[i - 1]);
  });
});
