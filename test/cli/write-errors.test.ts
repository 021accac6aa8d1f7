import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { makeTempDir } from '../helpers/tmp.js';
import { modelFilePath } from '../../src/dnn/model-io.js';
import { readDataset } from '../../src/datasets/allocation/dataset-files.js';
import { generateDataset } from '../../src/datasets/allocation/generate.js';
import { FDMA_DELAY_DEFAULTS, PROBLEMS, SUM_CAPACITY_DEFAULTS } from '../../src/solvers/params.js';

const FAIL_WRITES = resolve('test/cli/fixtures/fail-writes.mjs');

/** Runs the built CLI; with `failWrites` every atomic file write fails with that OS error code. */
function cli(args: string[], failWrites?: string): { status: number | null; stdout: string; stderr: string } {
  const preload = failWrites ? ['--import', pathToFileURL(FAIL_WRITES).href] : [];
  return spawnSync(process.execPath, [...preload, 'bin/radio-mtl', ...args], { encoding: 'utf8', env: { ...process.env, FAIL_WRITES: failWrites } });
}

describe('radio-mtl when the disk refuses a write', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  beforeEach(() => (tmp = makeTempDir()));
  afterEach(() => tmp.cleanup());

  it.each([
    ['ENOSPC', 'no space left on the device'],
    ['EROFS', 'read-only file system'],
  ])('solve --output: %s is one line naming the path, exit 2, the old file kept', (code, cause) => {
    const input = join(tmp.dir, 'in.json');
    const output = join(tmp.dir, 'out.json');
    writeFileSync(input, JSON.stringify({ gains: [[1, 2, 3]] }));
    writeFileSync(output, 'the result saved before\n');
    const r = cli(['solve', '--problem', 'fdma-delay', '--input', input, '--output', output], code);
    expect(r.stderr).toBe(`radio-mtl: --output: cannot write '${output}': ${cause} (${code}); nothing saved there before was changed\n`);
    expect(r.status).toBe(2);
    expect(readFileSync(output, 'utf8')).toBe('the result saved before\n');
    expect(readdirSync(tmp.dir).sort()).toEqual(['in.json', 'out.json']);
  });

  it('solve --output under a file (ENOTDIR) is a user error too', () => {
    const input = join(tmp.dir, 'in.json');
    writeFileSync(input, JSON.stringify({ gains: [[1, 2, 3]] }));
    const output = join(input, 'out.json');
    const r = cli(['solve', '--problem', 'fdma-delay', '--input', input, '--output', output]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^radio-mtl: --output: cannot write '${output}': a file stands where a directory is needed \\((ENOTDIR|EEXIST)\\)`));
  });

  it('solve --output in a folder that does not exist is refused in one line naming --output, nothing created', () => {
    const input = join(tmp.dir, 'in.json');
    writeFileSync(input, JSON.stringify({ gains: [[1, 2, 3]] }));
    const output = join(tmp.dir, 'no', 'such', 'dir', 'x.json');
    const r = cli(['solve', '--problem', 'fdma-delay', '--input', input, '--output', output]);
    expect(r.stderr).toBe(`radio-mtl: --output: cannot write '${output}': the folder ${join(tmp.dir, 'no', 'such', 'dir')} does not exist (create it first)\n`);
    expect(r.status).toBe(2);
    expect(readdirSync(tmp.dir)).toEqual(['in.json']);
  });

  it('dataset --out on a full disk keeps the dataset written before', () => {
    const args = ['dataset', '--problem', 'fdma-delay', '--n', '3', '--train', '20', '--test', '5', '--out', tmp.dir];
    expect(cli(args).status).toBe(0);
    const before = readDataset(tmp.dir, 'fdma-delay').manifest;
    const r = cli([...args, '--seed', '2'], 'ENOSPC');
    expect(r.stderr).toBe(`radio-mtl: --out: cannot write '${tmp.dir}': no space left on the device (ENOSPC); nothing saved there before was changed\n`);
    expect(r.status).toBe(2);
    expect(readDataset(tmp.dir, 'fdma-delay').manifest).toEqual(before);
  });

  it('train allocation --out on a full disk keeps the model written before', () => {
    const data = join(tmp.dir, 'data');
    for (const problem of PROBLEMS) {
      const params = problem === 'fdma-delay' ? FDMA_DELAY_DEFAULTS : SUM_CAPACITY_DEFAULTS;
      generateDataset(data, { problem, sizes: [5], counts: { train: 64, test: 16 }, seed: 1, params });
    }
    const out = join(tmp.dir, 'model');
    const train = ['train', 'allocation', '--scheme', 'routed', '--data', data, '--out', out, '--t1', '2', '--t2', '2', '--eval-every', '0', '--ref-samples', '0', '--quiet'];
    expect(cli(train).status).toBe(0);
    const files = ['model.json', 'weights.bin', 'metrics.json', 'curve.json'];
    const before = files.map((f) => readFileSync(modelFilePath(out, f)));
    const r = cli([...train, '--seed', '2'], 'ENOSPC');
    expect(r.stderr).toBe(`radio-mtl: --out: cannot write '${out}': no space left on the device (ENOSPC); nothing saved there before was changed\n`);
    expect(r.status).toBe(2);
    expect(files.map((f) => readFileSync(modelFilePath(out, f)))).toEqual(before);
  });
});
