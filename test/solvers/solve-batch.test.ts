import { cachedLambda, rememberLambda, scoreBatch, solveBatch, SolverChoiceError } from '../../src/solvers/solve-batch.js';
import { FDMA_DELAY_DEFAULTS, SUM_CAPACITY_DEFAULTS } from '../../src/solvers/params.js';
import { fdmaMeanDelay, sumCapacityBits } from '../../src/solvers/objectives.js';

describe('scoreBatch', () => {
  it('scores each instance with its own problem objective and constraint', () => {
    const fdma = scoreBatch('fdma-delay', [[1, 3], [1, 1]], [[1, 1], [12, -1]]);
    expect(fdma.objective[0]).toBeCloseTo(fdmaMeanDelay(FDMA_DELAY_DEFAULTS, [1, 3], [1, 1]), 12);
    expect(fdma.constraintViolation).toEqual([0, 2]);
    const sc = scoreBatch('sum-capacity', [[1, 2]], [[1, 2.5]], { sumCapacity: { ...SUM_CAPACITY_DEFAULTS, maxPowerW: 2 } });
    expect(sc.objective[0]).toBeCloseTo(sumCapacityBits([1, 2], [1, 2.5]), 12);
    expect(sc.constraintViolation).toEqual([0.5]);
  });
});

describe('solveBatch', () => {
  it('sum-capacity takes lambda* for the batch N from the cache when it is there', () => {
    const params = { ...SUM_CAPACITY_DEFAULTS, maxPowerW: 0.75 };
    expect(cachedLambda(params, 3)).toBeUndefined();
    rememberLambda(params, 3, 0.125);
    expect(cachedLambda(params, 3)).toBe(0.125);
    expect(cachedLambda(params, 4)).toBeUndefined();
    expect(solveBatch('sum-capacity', 'exact', [[1, 2, 3]], { sumCapacity: params }).lambda).toBe(0.125);
  });

  it('refuses the ipm for sum-capacity, naming the solver to use', () => {
    expect(() => solveBatch('sum-capacity', 'ipm', [[1, 2]], { lambda: 0.2 })).toThrow(SolverChoiceError);
    expect(() => solveBatch('sum-capacity', 'ipm', [[1, 2]], { lambda: 0.2 })).toThrow("solver: 'ipm' solves fdma-delay only; use 'exact' for sum-capacity");
  });

  it('reports the ipm iterations per instance, and none for the exact solver', () => {
    const rows = [[0.8, 1.7, 0.3], [2, 1]];
    expect(solveBatch('fdma-delay', 'ipm', rows).iterations).toHaveLength(2);
    expect(solveBatch('fdma-delay', 'exact', rows)).not.toHaveProperty('iterations');
  });
});
