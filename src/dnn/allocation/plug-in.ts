/**
 * The plug-in baseline under imperfect channel knowledge: the exact solvers applied to the
 * OBSERVED gains as if they were true, scored on the true gains (evaluate.ts).
 *  - fdma-delay: the exact P3 optimum for g_hat, per sample (sum P = Ptot holds whatever g_hat).
 *  - sum-capacity: the water level lambda* that meets the average budget on the observed
 *    training gains (all the solver knows of the channel law), then per sample the exact
 *    optimum for g_hat at that lambda*. The average power meets the budget in expectation
 *    over the observations; the capacity is what those powers give on the true channel.
 * With perfect knowledge this is the exact optimum itself.
 */
import { solveFdmaDelayExact } from '../../solvers/fdma-delay-exact.js';
import { solveSumCapacityOptimum, solveSumCapacitySample } from '../../solvers/sum-capacity-exact.js';
import { inputGains, type AllocationData } from './data.js';
import { taskMetrics, type TaskMetrics } from './evaluate.js';
import { taskBudget } from './tasks.js';

/** Plug-in powers (count x N per task) for the first `maxRows` test samples of every task. */
export function plugInPowers(data: AllocationData, maxRows = Infinity): Float64Array[] {
  const observedTest = inputGains(data, 'test');
  const observedTrain = inputGains(data, 'train');
  return data.tasks.map((t, k) => {
    const n = t.n;
    const count = Math.min(observedTest[k].length / n, maxRows);
    const out = new Float64Array(count * n);
    const { sumCapacity, fdmaDelay } = data.params;
    const lambda = t.problem === 'sum-capacity' ? solveSumCapacityOptimum(observedTrain[k], n, taskBudget(t, data.params), sumCapacity.maxPowerW).lambda : 0;
    for (let s = 0; s < count; s++) {
      const g = observedTest[k].subarray(s * n, (s + 1) * n);
      const row = out.subarray(s * n, (s + 1) * n);
      if (t.problem === 'fdma-delay') solveFdmaDelayExact(fdmaDelay, g, row);
      else solveSumCapacitySample(g, lambda, sumCapacity.maxPowerW, row);
    }
    return out;
  });
}

/** Metrics of the plug-in powers on the true test gains. */
export function plugInMetrics(data: AllocationData, maxRows?: number): TaskMetrics[] {
  return taskMetrics(data.tasks, data.params, data.test, plugInPowers(data, maxRows));
}
