import { generateAllocationData, loadAllocationData } from '../../../src/dnn/allocation/data.js';
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
