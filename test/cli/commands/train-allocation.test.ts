import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../../helpers/run-cli.js';
import { makeTempDir } from '../../helpers/tmp.js';
import { generateDataset } from '../../../src/datasets/allocation/generate.js';
import { FDMA_DELAY_DEFAULTS, PROBLEMS, SUM_CAPACITY_DEFAULTS } from '../../../src/solvers/params.js';

let tmp: ReturnType<typeof makeTempDir>;
beforeAll(() => {
  tmp = makeTempDir();
  for (const problem of PROBLEMS) {
    generateDataset(join(tmp.dir, 'data'), { problem, sizes: [5], counts: { train: 64, test: 16 }, seed: 1, params: problem === 'fdma-delay' ? FDMA_DELAY_DEFAULTS : SUM_CAPACITY_DEFAULTS });
  }
});
afterAll(() => tmp.cleanup());

test('a diverging run is one line naming the step, exit code 2, and no model saved', async () => {
  const out = join(tmp.dir, 'diverged');
  const r = await runCli(['train', 'allocation', '--scheme', 'naive', '--data', join(tmp.dir, 'data'), '--out', out, '--t1', '3', '--t2', '3', '--lr', '1e30', '--eval-every', '0', '--ref-samples', '0', '--quiet']);
  expect(r.code).toBe(2);
  expect(r.stderr).toBe('radio-mtl: training diverged at step 2 (loss NaN); lower the learning rate or check the data for non-finite values\n');
  expect(existsSync(join(out, 'current.json'))).toBe(false);
});
