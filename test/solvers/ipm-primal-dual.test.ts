import { primalDualIpm, type SparseRow } from '../../src/solvers/ipm-primal-dual.js';

describe('primalDualIpm (generic)', () => {
  // minimise (x1 - 2)^2 + (x2 - 2)^2 s.t. x1 + x2 <= 2, x >= 0: optimum (1, 1), value 2.
  const objective = {
    n: 2,
    value: (x: Float64Array) => (x[0] - 2) ** 2 + (x[1] - 2) ** 2,
    gradient: (x: Float64Array, out: Float64Array) => {
      out[0] = 2 * (x[0] - 2);
      out[1] = 2 * (x[1] - 2);
    },
    hessian: (_x: Float64Array, out: Float64Array) => {
      out.set([2, 0, 0, 2]);
    },
  };
  const rows: SparseRow[] = [
    { index: Int32Array.of(0, 1), value: Float64Array.of(1, 1) },
    { index: Int32Array.of(0), value: Float64Array.of(-1) },
    { index: Int32Array.of(1), value: Float64Array.of(-1) },
  ];
  const rhs = Float64Array.of(2, 0, 0);

  it('solves a small constrained QP', () => {
    const r = primalDualIpm(objective, { rows, rhs }, [0.5, 0.1]);
    expect(r.converged).toBe(true);
    expect(r.x[0]).toBeCloseTo(1, 9);
    expect(r.x[1]).toBeCloseTo(1, 9);
    expect(r.objective).toBeCloseTo(2, 10);
    expect(r.relativeDualResidual).toBeLessThanOrEqual(1e-9);
  });

  it('rejects an infeasible start and bad options', () => {
    expect(() => primalDualIpm(objective, { rows, rhs }, [1, 1])).toThrow(/not strictly feasible/);
    expect(() => primalDualIpm(objective, { rows, rhs }, [1])).toThrow(/x0 must have length 2/);
    expect(() => primalDualIpm(objective, { rows, rhs }, [0.5, 0.5], { mu: 1 })).toThrow(/options.mu/);
    const outside = { ...objective, value: () => Infinity };
    expect(() => primalDualIpm(outside, { rows, rhs }, [0.5, 0.5])).toThrow(/domain/);
  });
});
