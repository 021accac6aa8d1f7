import { readFileSync, writeFileSync, rmSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { generateDataset } from '../../../src/datasets/allocation/generate.js';
import { readDataset, DatasetError } from '../../../src/datasets/allocation/dataset-files.js';
import { FDMA_DELAY_DEFAULTS, SUM_CAPACITY_DEFAULTS } from '../../../src/solvers/params.js';
import { solveFdmaDelayExact } from '../../../src/solvers/fdma-delay-exact.js';
import { readPointer } from '../../../src/io/versioned-dir.js';
import { makeTempDir } from '../../helpers/tmp.js';

const fdma = (seed: number) => ({
  problem: 'fdma-delay' as const,
  sizes: [3, 5],
  counts: { train: 40, test: 10 },
  seed,
  params: FDMA_DELAY_DEFAULTS,
});

/** Path of `file` in the current version of DIR/<problem>. */
const current = (dir: string, problem: string, file: string) => join(dir, problem, readPointer(join(dir, problem)).version, file);

describe('labelled datasets', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  beforeEach(() => (tmp = makeTempDir()));
  afterEach(() => tmp.cleanup());

  it('round-trips gains, exact labels and manifest', () => {
    const manifest = generateDataset(tmp.dir, fdma(7));
    const loaded = readDataset(tmp.dir, 'fdma-delay');
    expect(loaded.manifest).toEqual(manifest);
    expect(loaded.tasks.map((t) => t.n)).toEqual([3, 5]);
    const task = loaded.tasks[1];
    expect(task.train.count).toBe(40);
    expect(task.test.count).toBe(10);
    // Labels are the exact optimum of their own gains.
    const g = task.train.gains.subarray(0, 5);
    expect(Array.from(task.train.power!.subarray(0, 5))).toEqual(Array.from(solveFdmaDelayExact(FDMA_DELAY_DEFAULTS, g)));
    expect(task.train.objective!.length).toBe(40);
    for (const v of task.train.gains) expect(v).toBeGreaterThan(0);
  });

  it('gives the same bytes for the same seed and different bytes for another seed', () => {
    generateDataset(join(tmp.dir, 'a'), fdma(3));
    generateDataset(join(tmp.dir, 'b'), fdma(3));
    generateDataset(join(tmp.dir, 'c'), fdma(4));
    const file = (d: string) => current(join(tmp.dir, d), 'fdma-delay', 'n05/train_gains.npy');
    const a = readFileSync(file('a'));
    expect(readFileSync(file('b')).equals(a)).toBe(true);
    expect(readFileSync(file('c')).equals(a)).toBe(false);
    const manifest = (d: string) => readFileSync(current(join(tmp.dir, d), 'fdma-delay', 'manifest.json'), 'utf8');
    expect(manifest('a')).toBe(manifest('b'));
  });

  it('keeps other tasks identical when sizes are added', () => {
    generateDataset(join(tmp.dir, 'a'), { ...fdma(3), sizes: [5] });
    generateDataset(join(tmp.dir, 'b'), fdma(3));
    const file = (d: string) => current(join(tmp.dir, d), 'fdma-delay', 'n05/test_power.npy');
    expect(readFileSync(file('a')).equals(readFileSync(file('b')))).toBe(true);
  });

  it('refuses a corrupted file, a missing file and a partial dataset', () => {
    generateDataset(tmp.dir, fdma(1));
    const file = current(tmp.dir, 'fdma-delay', 'n03/test_power.npy');
    const bytes = readFileSync(file);
    bytes[bytes.length - 1] ^= 0xff;
    writeFileSync(file, bytes);
    expect(() => readDataset(tmp.dir, 'fdma-delay')).toThrow(/v1\/n03\/test_power.npy: sha256 .* does not match current\.json .*corrupted or was edited/);
    rmSync(file);
    expect(() => readDataset(tmp.dir, 'fdma-delay')).toThrow(/test_power.npy is missing/);
    const manifest = current(tmp.dir, 'fdma-delay', 'manifest.json');
    writeFileSync(manifest, readFileSync(manifest, 'utf8').replace('"seed": 1', '"seed": 2'));
    expect(() => readDataset(tmp.dir, 'fdma-delay')).toThrow(/manifest\.json: sha256 .* does not match current\.json/);
    rmSync(join(tmp.dir, 'fdma-delay/current.json'));
    expect(() => readDataset(tmp.dir, 'fdma-delay')).toThrow(DatasetError);
    expect(() => readDataset(tmp.dir, 'sum-capacity')).toThrow(/no complete sum-capacity dataset/);
  });

  it('replaces an existing dataset only once the new one is complete, leaving no staging folder', () => {
    generateDataset(tmp.dir, fdma(1));
    const before = readFileSync(join(tmp.dir, 'fdma-delay/current.json'), 'utf8');
    const failing = { ...fdma(2), onProgress: () => {
      throw new Error('simulated crash');
    } };
    expect(() => generateDataset(tmp.dir, failing)).toThrow('simulated crash');
    expect(readFileSync(join(tmp.dir, 'fdma-delay/current.json'), 'utf8')).toBe(before);
    expect(() => readDataset(tmp.dir, 'fdma-delay')).not.toThrow();
    expect(readdirSync(tmp.dir)).toEqual(['fdma-delay']);
    expect(readdirSync(join(tmp.dir, 'fdma-delay')).sort()).toEqual(['current.json', 'v1']);
    generateDataset(tmp.dir, fdma(2));
    expect(readDataset(tmp.dir, 'fdma-delay').manifest.seed).toBe(2);
    expect(readdirSync(join(tmp.dir, 'fdma-delay')).sort()).toEqual(['current.json', 'v2']);
  });

  it('refuses a dataset in the flat layout of an older radio-mtl, saying to regenerate it', () => {
    generateDataset(tmp.dir, fdma(1));
    const root = join(tmp.dir, 'fdma-delay');
    writeFileSync(join(root, 'manifest.json'), readFileSync(current(tmp.dir, 'fdma-delay', 'manifest.json')));
    rmSync(join(root, 'current.json'));
    expect(() => readDataset(tmp.dir, 'fdma-delay')).toThrow(/flat layout of an older radio-mtl: regenerate it/);
  });

  it('stores sum-capacity gains only, with the budget mode in the manifest', () => {
    generateDataset(tmp.dir, { problem: 'sum-capacity', sizes: [4], counts: { train: 5, test: 5 }, seed: 1, params: SUM_CAPACITY_DEFAULTS });
    const loaded = readDataset(tmp.dir, 'sum-capacity', [4]);
    expect(loaded.tasks[0].train.power).toBeUndefined();
    expect((loaded.manifest.params as typeof SUM_CAPACITY_DEFAULTS).budgetMode).toBe('per-user');
    expect(existsSync(join(tmp.dir, 'sum-capacity/v1/n04/train_gains.npy'))).toBe(true);
    expect(() => readDataset(tmp.dir, 'sum-capacity', [4, 6])).toThrow(/no task with N = 6/);
  });
});
