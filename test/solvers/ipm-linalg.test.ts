import { choleskyInPlace, choleskySolve, norm2 } from '../../src/solvers/ipm-linalg.js';

describe('Cholesky of the Newton step', () => {
  it('factors a known SPD matrix and solves with it', () => {
    const a = Float64Array.from([4, 12, -16, 12, 37, -43, -16, -43, 98]);
    expect(choleskyInPlace(a, 3)).toBe(true);
    // Lower triangle: L = [[2], [6, 1], [-8, 5, 3]].
    expect([a[0], a[3], a[4], a[6], a[7], a[8]]).toEqual([2, 6, 1, -8, 5, 3]);
    const b = Float64Array.from([-20, -43, 192]); // A [1, 2, 3]
    choleskySolve(a, 3, b);
    expect(Array.from(b).map((v) => Number(v.toFixed(12)))).toEqual([1, 2, 3]);
  });

  it('reports a matrix that is not positive definite', () => {
    expect(choleskyInPlace(Float64Array.from([1, 2, 2, 1]), 2)).toBe(false);
    expect(choleskyInPlace(Float64Array.from([0]), 1)).toBe(false);
    expect(choleskyInPlace(Float64Array.from([NaN]), 1)).toBe(false);
  });

  it('norm2 is the Euclidean norm', () => {
    expect(norm2(Float64Array.from([3, 4]))).toBe(5);
  });
});
