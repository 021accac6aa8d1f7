/** The allocation service: the trusted-range fallback, the served sizes and the domain checks, on a model stub. */
import { allocateWithModel, NonFiniteOutputError, UnsupportedSizeError, type AllocationServable } from '../../../src/dnn/allocation/service.js';
import { solveBatch } from '../../../src/solvers/solve-batch.js';

/** A model answering each row with equal powers summing to 1 W (fdma-delay's default budget). */
const stub = (power = (n: number) => Array.from({ length: n }, () => 1 / n)): AllocationServable & { seen: number[][][] } => {
  const seen: number[][][] = [];
  return {
    kind: 'allocation',
    name: 'stub',
    version: '0',
    loadedAt: '',
    manifest: {},
    scheme: 'routed',
    tasks: [{ problem: 'fdma-delay', n: 3 }],
    seen,
    allocate: (_problem, rows) => {
      seen.push(rows);
      return rows.map((r) => power(r.length));
    },
  };
};

test('instances inside the trusted range go to the model, the others to the exact solver', async () => {
  const model = stub();
  const rows = [[1, 2, 0.5], [1e-9, 1, 1], [1, 1, 1e3]];
  const answer = await allocateWithModel(model, 'fdma-delay', rows);
  expect(answer.solvedBy).toEqual(['dnn', 'exact', 'exact']);
  expect(model.seen).toEqual([[[1, 2, 0.5]]]);
  expect(answer.power[0]).toEqual([1 / 3, 1 / 3, 1 / 3]);
  expect(answer.power.slice(1)).toEqual(solveBatch('fdma-delay', 'exact', rows.slice(1)).power);
  expect(answer.objective.slice(1)).toEqual(solveBatch('fdma-delay', 'exact', rows.slice(1)).objective);
});

test('a size the model does not serve, a gain outside the domain and a broken model are refused', async () => {
  await expect(allocateWithModel(stub(), 'fdma-delay', [[1, 2, 3, 4]])).rejects.toThrow(UnsupportedSizeError);
  await expect(allocateWithModel(stub(), 'sum-capacity', [[1, 2, 3]])).rejects.toThrow(/served sizes: none/);
  await expect(allocateWithModel(stub(), 'fdma-delay', [[1, 0, 3]])).rejects.toThrow(/^gains\[0\]\[1\]: must be > 0/);
  await expect(allocateWithModel(stub(() => [NaN, 1, 1]), 'fdma-delay', [[1, 2, 3]])).rejects.toThrow(NonFiniteOutputError);
});
