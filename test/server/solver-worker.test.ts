import solveTask from '../../src/server/solver-worker.js';
import { solveBatch } from '../../src/solvers/solve-batch.js';

describe('solveTask (the solver pool worker)', () => {
  it('returns the batch solution as a value', () => {
    const rows = [[0.8, 1.7, 0.3, 2.4, 1.1]];
    const result = solveTask({ problem: 'fdma-delay', solver: 'exact', rows, options: {} });
    expect(result).toEqual({ ok: true, solution: solveBatch('fdma-delay', 'exact', rows) });
  });

  it('returns a solver refusal as a value, since its error class would not survive the thread boundary', () => {
    const result = solveTask({ problem: 'fdma-delay', solver: 'ipm', rows: [[0.8, 1.7, 0.3, 2.4, 1.1]], options: { ipm: { maxIter: 2 } } });
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.refusal).toMatch(/^solver: 'ipm' stopped .* above the optimum for instance 0 .*use 'exact'/);
  });

  it('lets any other error (a bug) through', () => {
    const bug = new TypeError('a bug');
    const options = {
      get ipm(): never {
        throw bug;
      },
    };
    expect(() => solveTask({ problem: 'fdma-delay', solver: 'ipm', rows: [[0.8, 1.7]], options })).toThrow(bug);
  });
});
