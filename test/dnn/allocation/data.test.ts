import { generateAllocationData, inputGains, loadAllocationData, withChannelKnowledge } from '../../../src/dnn/allocation/data.js';
import { batchSampler } from '../../../src/dnn/allocation/batches.js';
import { AllocationNetwork, defaultNetworkConfig } from '../../../src/dnn/allocation/network.js';
import { meanGainOf, normaliseGain } from '../../../src/dnn/allocation/tasks.js';
import { initEngine, tf } from '../../../src/dnn/engine.js';
import { generateDataset } from '../../../src/datasets/allocation/generate.js';
import { FDMA_DELAY_DEFAULTS, SUM_CAPACITY_DEFAULTS } from '../../../src/solvers/params.js';
import { makeTempDir } from '../../helpers/tmp.js';

const tmp = makeTempDir('radio-mtl-allocation-data-');
afterAll(() => tmp.cleanup());

describe('allocation data', () => {
  it('reads both problems from a dataset directory, tasks by increasing N, with the parameters it was made with', () => {
    const fdma = { ...FDMA_DELAY_DEFAULTS, totalPowerW: 7 };
    generateDataset(tmp.dir, { problem: 'fdma-delay', sizes: [8, 5], counts: { train: 3, test: 2 }, seed: 4, params: fdma });
    generateDataset(tmp.dir, { problem: 'sum-capacity', sizes: [5], counts: { train: 3, test: 2 }, seed: 4, params: SUM_CAPACITY_DEFAULTS });
    const data = loadAllocationData(tmp.dir);
    expect(data.tasks).toEqual([
      { problem: 'fdma-delay', n: 5 },
      { problem: 'fdma-delay', n: 8 },
      { problem: 'sum-capacity', n: 5 },
    ]);
    expect(data.params.fdmaDelay.totalPowerW).toBe(7);
    expect(data.train.map((s) => [s.count, s.n])).toEqual([[3, 5], [3, 8], [3, 5]]);
    expect(data.test.map((s) => s.count)).toEqual([2, 2, 2]);
    expect(data.source['fdma-delay']).toMatch(/^[0-9a-f]{64}$/);
    expect(data.seed).toBe(4);
    expect(loadAllocationData(tmp.dir, ['sum-capacity']).tasks).toEqual([{ problem: 'sum-capacity', n: 5 }]);
  });

  it('generates the same data in memory as the dataset command for the same seed', () => {
    const tasks = [{ problem: 'fdma-delay' as const, n: 5 }];
    const a = generateAllocationData(tasks, { train: 3, test: 2 }, 4, { fdmaDelay: { ...FDMA_DELAY_DEFAULTS, totalPowerW: 7 }, sumCapacity: SUM_CAPACITY_DEFAULTS });
    const fromFiles = loadAllocationData(tmp.dir, ['fdma-delay'], [5]);
    expect(a.train[0].gains).toEqual(fromFiles.train[0].gains);
    expect(a.test[0].power).toEqual(fromFiles.test[0].power);
    expect(a.source['fdma-delay']).toBe('in-memory:4');
    expect(generateAllocationData(tasks, { train: 3, test: 2 }, 5).train[0].gains).not.toEqual(a.train[0].gains);
  });
});

describe('imperfect channel knowledge', () => {
  const tasks = [{ problem: 'fdma-delay', n: 3 } as const, { problem: 'sum-capacity', n: 4 } as const];
  const clean = generateAllocationData(tasks, { train: 1, test: 20 }, 5);

  it('perfect knowledge leaves the data as it is; otherwise both splits get a seeded observation beside the true gains', () => {
    expect(withChannelKnowledge(clean, { errorVariance: 0, missingFraction: 0 }, 1)).toBe(clean);
    const noisy = withChannelKnowledge(clean, { errorVariance: 0.1, missingFraction: 0.1 }, 1);
    expect(noisy.test).toBe(clean.test);
    expect(noisy.observed!.test.map((g) => g.length)).toEqual(clean.test.map((s) => s.gains.length));
    expect(noisy.observed!.test[0]).not.toEqual(clean.test[0].gains);
    expect(inputGains(noisy, 'test')).toBe(noisy.observed!.test);
    expect(inputGains(clean, 'train')).toEqual(clean.train.map((s) => s.gains));
    expect(withChannelKnowledge(clean, { errorVariance: 0.1, missingFraction: 0.1 }, 1).observed).toEqual(noisy.observed);
  });

  it('training batches: the network reads the observed gains (sorted by them), the loss the true gains in that order', async () => {
    await initEngine();
    const noisy = withChannelKnowledge(clean, { errorVariance: 0.5, missingFraction: 0 }, 2);
    const net = new AllocationNetwork({ ...defaultNetworkConfig('routed', [...tasks], clean.params), hiddenWidths: [4, 4, 4, 4] }, 1);
    // One training row per task: every draw is row 0.
    const batch = batchSampler(net, noisy, 2, () => 0.5)();
    const x = batch.x.arraySync();
    const g = batch.gains.arraySync();
    tasks.forEach((t, k) => {
      const observed = Array.from(noisy.observed!.train[k]);
      const order = observed.map((_, i) => i).sort((a, b) => observed[b] - observed[a]);
      const mg = meanGainOf(t.problem, clean.params);
      for (let i = 0; i < t.n; i++) {
        expect(x[k][1][i]).toBeCloseTo(normaliseGain(observed[order[i]], mg), 5);
        expect(g[k][1][i]).toBeCloseTo(clean.train[k].gains[order[i]], 5);
      }
    });
    tf.dispose([batch.x, batch.label, batch.gains, batch.optDelay]);
    net.dispose();
  });
});
