import { existsSync } from 'node:fs';
import { readModelJson } from '../../../src/dnn/model-io.js';
import type { AllocationManifest } from '../../../src/dnn/allocation/model.js';
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

test('--weighting, --gamma and imperfect channel knowledge: recorded in the manifest; evaluate reads the same observation', async () => {
  const out = join(tmp.dir, 'noisy');
  const common = ['--data', join(tmp.dir, 'data'), '--gain-error', '0.1', '--gain-missing', '0.1', '--gain-seed', '4', '--ref-samples', '0', '--quiet'];
  const r = await runCli(['train', 'allocation', '--scheme', 'routed', '--out', out, '--t1', '4', '--t2', '4', '--eval-every', '0', '--weighting', 'gradnorm', '--gamma', '3', '--json', ...common]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  const metricsOf = (stdout: string) => {
    const j = JSON.parse(stdout) as { fdmaDelay: unknown[]; sumCapacity: unknown[] };
    return [j.fdmaDelay, j.sumCapacity];
  };
  const trained = metricsOf(r.stdout);
  expect(trained.flat()).toHaveLength(2);
  const manifest = readModelJson<AllocationManifest>(out).json.manifest;
  expect(manifest.training.weighting).toBe('gradnorm');
  expect(manifest.training.taskWeights).toHaveLength(2);
  expect(manifest.network.gamma).toBe(3);
  expect(manifest.data.channelKnowledge).toEqual({ errorVariance: 0.1, missingFraction: 0.1, seed: 4 });
  const e = await runCli(['evaluate', 'allocation', '--model', out, '--json', ...common]);
  expect(e.code).toBe(0);
  // The same observation (same seed) gives the training run's final test metrics.
  expect(metricsOf(e.stdout)).toEqual(trained);
  const clean = await runCli(['evaluate', 'allocation', '--model', out, '--json', '--data', join(tmp.dir, 'data'), '--ref-samples', '0', '--quiet']);
  expect(metricsOf(clean.stdout)).not.toEqual(trained);
});

test.each([
  [['--gain-missing', '1'], "radio-mtl: --gain-missing: must be a number in [0, 1), got '1' (see radio-mtl train allocation --help)\n"],
  [['--gain-error', '-0.1'], "radio-mtl: --gain-error: must be a finite number >= 0, got '-0.1' (see radio-mtl train allocation --help)\n"],
  [['--weighting', 'dwa'], "radio-mtl: --weighting: must be one of equal, uncertainty, gradnorm, got 'dwa' (see radio-mtl train allocation --help)\n"],
])('bad option %j: one line naming it, exit code 2', async (args, line) => {
  const r = await runCli(['train', 'allocation', '--scheme', 'routed', '--data', join(tmp.dir, 'data'), '--out', join(tmp.dir, 'never'), ...args]);
  expect(r.code).toBe(2);
  expect(r.stderr).toBe(line);
});
