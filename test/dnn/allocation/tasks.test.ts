import { rayleighGains } from '../../../src/channels/rayleigh.js';
import { DEFAULT_ALLOCATION_PARAMS, meanGainOf, normaliseGain, outputScale, paperTasks } from '../../../src/dnn/allocation/tasks.js';
import { seededUniform } from '../../../src/random.js';

describe('allocation tasks', () => {
  it('are problem-major: fdma-delay at every N, then sum-capacity', () => {
    const tasks = paperTasks();
    expect(tasks).toHaveLength(14);
    expect(tasks.slice(0, 2)).toEqual([{ problem: 'fdma-delay', n: 5 }, { problem: 'fdma-delay', n: 8 }]);
    expect(tasks[7]).toEqual({ problem: 'sum-capacity', n: 5 });
    expect(paperTasks([3], ['sum-capacity'])).toEqual([{ problem: 'sum-capacity', n: 3 }]);
  });

  it('normalise Rayleigh gains to zero mean and unit variance, whatever the mean gain', () => {
    const g = rayleighGains(seededUniform('tasks-test'), 20000, 1, 7);
    const z = Array.from(g, (x) => normaliseGain(x, 7));
    const mean = z.reduce((a, b) => a + b, 0) / z.length;
    const sd = Math.sqrt(z.reduce((a, b) => a + (b - mean) ** 2, 0) / z.length);
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(sd - 1)).toBeLessThan(0.03);
    expect(normaliseGain(0, 1)).toBe(normaliseGain(1e-12, 1));
  });

  it('scale outputs by Ptot for fdma-delay and Pmax for sum-capacity; only fdma-delay has a mean gain', () => {
    const params = { fdmaDelay: { ...DEFAULT_ALLOCATION_PARAMS.fdmaDelay, totalPowerW: 7, meanGainDb: 20 }, sumCapacity: { ...DEFAULT_ALLOCATION_PARAMS.sumCapacity, maxPowerW: 3 } };
    expect(outputScale('fdma-delay', params)).toBe(7);
    expect(outputScale('sum-capacity', params)).toBe(3);
    expect(meanGainOf('fdma-delay', params)).toBeCloseTo(100, 10);
    expect(meanGainOf('sum-capacity', params)).toBe(1);
  });
});
