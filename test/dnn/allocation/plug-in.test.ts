import { generateAllocationData, withChannelKnowledge, type AllocationTask, type FdmaMetrics, type SumCapacityMetrics } from '../../../src/dnn/allocation/index.js';
import { plugInMetrics, plugInPowers } from '../../../src/dnn/allocation/plug-in.js';
import { solveSumCapacityOptimum } from '../../../src/solvers/sum-capacity-exact.js';

const TASKS: AllocationTask[] = [
  { problem: 'fdma-delay', n: 5 },
  { problem: 'sum-capacity', n: 5 },
];
const clean = generateAllocationData(TASKS, { train: 2000, test: 1000 }, 11);
const noisy = withChannelKnowledge(clean, { errorVariance: 0.1, missingFraction: 0 }, 3);
const missing = withChannelKnowledge(clean, { errorVariance: 0, missingFraction: 0.1 }, 3);

describe('plug-in exact solver under imperfect channel knowledge', () => {
  test('with perfect knowledge it is the exact optimum: zero delay gap, the optimal capacity at lambda* of the training gains', () => {
    const [fd, sc] = plugInMetrics(clean) as [FdmaMetrics, SumCapacityMetrics];
    expect(Math.abs(fd.medianRelGap)).toBeLessThan(1e-9);
    expect(fd.maxViolationW).toBeLessThan(1e-9);
    const budget = sc.budgetW;
    const lambda = solveSumCapacityOptimum(clean.train[1].gains, 5, budget, clean.params.sumCapacity.maxPowerW).lambda;
    expect(lambda).toBeGreaterThan(0);
    // The optimum over the test gains themselves differs only by the Monte Carlo error of 1000 samples.
    const own = solveSumCapacityOptimum(clean.test[1].gains, 5, budget, clean.params.sumCapacity.maxPowerW);
    expect(Math.abs(sc.capacityBits - own.capacityBits)).toBeLessThan(0.02);
  });

  test('noisy or missing gains cost delay and capacity on the true channel', () => {
    const [fd0, sc0] = plugInMetrics(clean) as [FdmaMetrics, SumCapacityMetrics];
    for (const d of [noisy, missing]) {
      const [fd, sc] = plugInMetrics(d) as [FdmaMetrics, SumCapacityMetrics];
      expect(fd.meanRelGap).toBeGreaterThan(fd0.meanRelGap + 1e-3);
      expect(fd.maxViolationW).toBeLessThan(1e-9);
      expect(sc.capacityBits).toBeLessThan(sc0.capacityBits);
    }
  });

  test('the plug-in powers are the exact solution for the observed gains (the same seed, the same powers)', () => {
    const again = withChannelKnowledge(clean, { errorVariance: 0.1, missingFraction: 0 }, 3);
    expect(plugInPowers(again, 50)).toEqual(plugInPowers(noisy, 50));
    expect(plugInPowers(noisy, 50)[0]).not.toEqual(plugInPowers(clean, 50)[0]);
  });
});
