/**
 * The gain domain [1e-12, 1e12] (sum-capacity: [0, 1e12]): refused outside by the one
 * validator, and inside it every solver gives the optimum, a feasible allocation and a
 * finite objective, including rows that mix the smallest and largest allowed gains.
 */
import fc from 'fast-check';
import { findGainOutsideDomain, GAIN_MAX, GAIN_MIN_FDMA_DELAY, gainRange } from '../../src/solvers/gain-domain.js';
import { parseGainsBatch } from '../../src/solvers/gains-input.js';
import { InputError } from '../../src/input-error.js';
import { solveBatch, SolverChoiceError } from '../../src/solvers/solve-batch.js';
import { FDMA_DELAY_DEFAULTS, SUM_CAPACITY_DEFAULTS } from '../../src/solvers/params.js';

const LO = GAIN_MIN_FDMA_DELAY;
const HI = GAIN_MAX;
const PTOT = FDMA_DELAY_DEFAULTS.totalPowerW;

/** One gain anywhere in the domain, with the two edges and the mean drawn often. */
const gainArb = fc.oneof(
  { weight: 3, arbitrary: fc.double({ min: -12, max: 12, noNaN: true }).map((e) => 10 ** e) },
  { weight: 1, arbitrary: fc.constantFrom(LO, HI, 1) },
);
const rowArb = (maxLength: number) => fc.array(gainArb, { minLength: 1, maxLength });
const FC = { seed: 20240917, numRuns: 150 } as const;

/** Marginal delay decrease of band n, -d/dP [1 / ln(1 + a P)]: equal on every band at the optimum. */
function marginal(a: number, p: number): number {
  const u = Math.log1p(a * p);
  return a / ((1 + a * p) * u * u);
}

describe('gain domain', () => {
  test('the ranges per problem', () => {
    expect(gainRange('fdma-delay')).toEqual({ min: 1e-12, max: 1e12 });
    expect(gainRange('sum-capacity')).toEqual({ min: 0, max: 1e12 });
  });

  test.each([
    ['fdma-delay', [[1, 1e308, 1]], 0, 1, /must be <= 1e\+12/],
    ['sum-capacity', [[1, 2], [3, 1.0000001e12]], 1, 1, /must be <= 1e\+12/],
    ['fdma-delay', [[1, 2], [3, 9.9e-13]], 1, 1, /must be >= 1e-12 for fdma-delay/],
    ['fdma-delay', [[5e-324, 1]], 0, 0, /must be >= 1e-12/],
    ['fdma-delay', [[1, -0]], 0, 1, /must be > 0 for fdma-delay/],
    ['sum-capacity', [[-1e-300, 1]], 0, 0, /must be >= 0$/],
  ] as const)('%s %j: row %i, column %i is outside', (problem, rows, row, column, rule) => {
    expect(findGainOutsideDomain(problem, rows as unknown as number[][])).toEqual({ row, column, rule: expect.stringMatching(rule) });
  });

  test('the edges themselves are inside; sum-capacity accepts 0 and subnormal gains', () => {
    expect(findGainOutsideDomain('fdma-delay', [[LO, HI, 1]])).toBeUndefined();
    expect(findGainOutsideDomain('sum-capacity', [[0, -0, 5e-324, HI]])).toBeUndefined();
  });

  test('the CLI validator refuses gains outside the domain, naming row, column and rule', () => {
    const refuse = (value: unknown, problem: 'fdma-delay' | 'sum-capacity') => {
      try {
        parseGainsBatch(value, problem);
      } catch (err) {
        expect(err).toBeInstanceOf(InputError);
        return (err as Error).message;
      }
      throw new Error('accepted');
    };
    expect(refuse([[1e308, 1, 1]], 'fdma-delay')).toBe('gains[0][0]: must be <= 1e+12 (120 dB above the mean gain)');
    expect(refuse([[1, 1], [1, 1e308]], 'sum-capacity')).toBe('gains[1][1]: must be <= 1e+12 (120 dB above the mean gain)');
    expect(refuse([[1, 1e-13]], 'fdma-delay')).toMatch(/^gains\[0\]\[1\]: must be >= 1e-12 for fdma-delay/);
    expect(refuse([[1, 0]], 'fdma-delay')).toMatch(/^gains\[0\]\[1\]: must be > 0 for fdma-delay/);
    expect(parseGainsBatch([[LO, HI]], 'fdma-delay')).toEqual([[LO, HI]]);
    expect(parseGainsBatch([[0, HI]], 'sum-capacity')).toEqual([[0, HI]]);
  });
});

describe('inside the domain every solver is right', () => {
  test('fdma-delay exact: feasible, finite, KKT holds (equal marginal delay on every band)', () => {
    fc.assert(
      fc.property(rowArb(40), (gains) => {
        const sol = solveBatch('fdma-delay', 'exact', [gains]);
        const power = sol.power[0];
        expect(Number.isFinite(sol.objective[0])).toBe(true);
        expect(sol.constraintViolation[0]).toBeLessThanOrEqual(1e-12 * PTOT);
        expect(power.reduce((a, b) => a + b, 0)).toBeCloseTo(PTOT, 10);
        // Bands whose power is below round-off of Ptot cannot be balanced more finely.
        const m = gains.map((a, i) => marginal(a, power[i])).filter((_, i) => power[i] > 1e-9 * PTOT);
        expect(Math.max(...m) / Math.min(...m) - 1).toBeLessThan(1e-6);
      }),
      FC,
    );
  });

  test('fdma-delay ipm reaches the exact optimum (relative 1e-8) on rows anywhere in the domain', () => {
    fc.assert(
      fc.property(rowArb(12), (gains) => {
        const exact = solveBatch('fdma-delay', 'exact', [gains]).objective[0];
        const ipm = solveBatch('fdma-delay', 'ipm', [gains]);
        expect(ipm.constraintViolation[0]).toBe(0);
        expect(Math.abs(ipm.objective[0] / exact - 1)).toBeLessThan(1e-8);
      }),
      { ...FC, numRuns: 60 },
    );
  });

  test.each([
    ['one gain at the top edge', [HI, 1.7, 0.3, 2.4, 1.1]],
    ['one gain at the bottom edge', [LO, 1.7, 0.3, 2.4, 1.1]],
    ['both edges', [LO, HI]],
    ['top edge and three bottom', [HI, LO, LO, LO]],
    ['all at the top edge', [HI, HI, HI, HI, HI]],
    ['all at the bottom edge', [LO, LO, LO, LO, LO]],
  ])('fdma-delay, %s: exact and ipm agree, objective finite', (_name, gains) => {
    const exact = solveBatch('fdma-delay', 'exact', [gains]);
    const ipm = solveBatch('fdma-delay', 'ipm', [gains]);
    expect(Number.isFinite(exact.objective[0])).toBe(true);
    expect(exact.power[0].every((p) => Number.isFinite(p) && p >= 0)).toBe(true);
    expect(Math.abs(ipm.objective[0] / exact.objective[0] - 1)).toBeLessThan(1e-8);
  });

  test('the ipm at [1e12, 1.7, 0.3, 2.4, 1.1] finds the optimum, not an equal split', () => {
    const gains = [HI, 1.7, 0.3, 2.4, 1.1];
    const ipm = solveBatch('fdma-delay', 'ipm', [gains]);
    expect(ipm.objective[0]).toBeCloseTo(0.4702484944727, 9);
    expect(ipm.power[0][0]).toBeLessThan(0.1);
  });

  test('fdma-delay exact at N = 1000 mixing both edges', () => {
    const gains = Array.from({ length: 1000 }, (_, i) => (i % 3 === 0 ? HI : i % 3 === 1 ? LO : 1));
    const sol = solveBatch('fdma-delay', 'exact', [gains]);
    expect(Number.isFinite(sol.objective[0])).toBe(true);
    expect(sol.constraintViolation[0]).toBeLessThanOrEqual(1e-12 * PTOT);
  });

  test('sum-capacity exact: powers in [0, Pmax], finite objective, up to N = 64 gains at the top edge', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(gainArb, fc.constant(0)), { minLength: 1, maxLength: 64 }), (gains) => {
        const sol = solveBatch('sum-capacity', 'exact', [gains], { lambda: 0.2 });
        expect(Number.isFinite(sol.objective[0])).toBe(true);
        for (const p of sol.power[0]) expect(p >= 0 && p <= SUM_CAPACITY_DEFAULTS.maxPowerW).toBe(true);
      }),
      FC,
    );
    const all = solveBatch('sum-capacity', 'exact', [Array(64).fill(HI)], { lambda: 0.2 });
    expect(Number.isFinite(all.objective[0])).toBe(true);
  });

  test('an ipm answer short of the optimum is refused, naming the instance and the better solver', () => {
    const gains = [[0.8, 1.7, 0.3, 2.4, 1.1], [LO, HI, 1]];
    expect(() => solveBatch('fdma-delay', 'ipm', gains, { ipm: { maxIter: 2 } })).toThrow(SolverChoiceError);
    expect(() => solveBatch('fdma-delay', 'ipm', gains, { ipm: { maxIter: 2 } })).toThrow(/solver: 'ipm' stopped .* above the optimum for instance 0 .*use 'exact'/);
  });
});
