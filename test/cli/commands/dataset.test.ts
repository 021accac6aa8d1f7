import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../../helpers/run-cli.js';
import { makeTempDir } from '../../helpers/tmp.js';
import { readDataset } from '../../../src/datasets/allocation/dataset-files.js';
import { stagedTaskDir } from '../../../src/datasets/allocation/dataset-shards.js';

describe('radio-mtl dataset', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  beforeEach(() => (tmp = makeTempDir()));
  afterEach(() => tmp.cleanup());

  it('dataset writes a readable dataset for each problem', async () => {
    const r = await runCli(['dataset', '--n', '4', '--train', '20', '--test', '5', '--seed', '9', '--out', tmp.dir]);
    expect(r.code).toBe(0);
    expect(readDataset(tmp.dir, 'fdma-delay').manifest.seed).toBe(9);
    expect(readDataset(tmp.dir, 'sum-capacity').tasks[0].test.count).toBe(5);
    const bad = await runCli(['dataset', '--n', '4,0', '--out', tmp.dir]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--n: must be a comma-separated list of integers >= 1/);
  });
});

describe('radio-mtl dataset --json', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  beforeEach(() => (tmp = makeTempDir()));
  afterEach(() => tmp.cleanup());

  it('prints one JSON document naming what it wrote, progress and notes on stderr only', async () => {
    const r = await runCli(['dataset', '--n', '3,4', '--train', '10', '--test', '4', '--seed', '5', '--out', tmp.dir, '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { out: string; seed: number; problems: Array<{ problem: 'fdma-delay' | 'sum-capacity'; dir: string; sizes: number[]; train: number; test: number; staged: boolean }> };
    expect(doc.out).toBe(tmp.dir);
    expect(doc.seed).toBe(5);
    expect(doc.problems.map((p) => [p.problem, p.sizes, p.train, p.test])).toEqual([
      ['fdma-delay', [3, 4], 10, 4],
      ['sum-capacity', [3, 4], 10, 4],
    ]);
    for (const p of doc.problems) {
      expect(p.staged).toBe(false);
      expect(p.dir).toBe(join(tmp.dir, p.problem));
      expect(readDataset(tmp.dir, p.problem).manifest.tasks.map((t) => t.n)).toEqual(p.sizes);
    }
    expect(r.stderr).toMatch(/wrote .*fdma-delay/);
  });
});

describe('radio-mtl dataset --shard / --merge', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  beforeEach(() => (tmp = makeTempDir()));
  afterEach(() => tmp.cleanup());

  const base = ['dataset', '--n', '3,4,6', '--train', '12', '--test', '5', '--seed', '4'];
  const shas = (dir: string, problem: 'fdma-delay' | 'sum-capacity') => {
    const { manifest, manifestSha256 } = readDataset(dir, problem);
    return { manifestSha256, files: manifest.tasks.map((t) => Object.values(t.files).map((f) => [f.file, f.sha256])) };
  };

  it('two shards plus merge write the same files as one unsharded run', async () => {
    const whole = join(tmp.dir, 'whole');
    const sharded = join(tmp.dir, 'sharded');
    expect((await runCli([...base, '--out', whole])).code).toBe(0);
    const one = await runCli([...base, '--out', sharded, '--shard', '1/2']);
    expect(one.code).toBe(0);
    expect(one.stderr).toMatch(/staged fdma-delay N = 3, 6 \(shard 1\/2\)/);
    expect((await runCli([...base, '--out', sharded, '--shard', '2/2'])).code).toBe(0);
    expect((await runCli([...base, '--out', sharded, '--merge'])).code).toBe(0);
    for (const problem of ['fdma-delay', 'sum-capacity'] as const) expect(shas(sharded, problem)).toEqual(shas(whole, problem));
  });

  it('a shard writes no dataset, and --merge names every task not staged yet', async () => {
    expect((await runCli([...base, '--problem', 'sum-capacity', '--out', tmp.dir, '--shard', '2/3'])).code).toBe(0);
    expect(() => readDataset(tmp.dir, 'sum-capacity')).toThrow(/current.json not found/);
    const r = await runCli([...base, '--problem', 'sum-capacity', '--out', tmp.dir, '--merge']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^radio-mtl: --merge: 2 task\(s\) not staged yet .*: sum-capacity N=3, sum-capacity N=6/);
  });

  it('--merge refuses tasks staged with other settings or damaged, in one line', async () => {
    const stage = [...base, '--problem', 'sum-capacity', '--out', tmp.dir];
    for (const shard of ['1/2', '2/2']) expect((await runCli([...stage, '--shard', shard])).code).toBe(0);
    const other = await runCli([...stage.map((a) => (a === '4' ? '5' : a)), '--merge']);
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/^radio-mtl: --merge: .*task\.json: staged with other settings/);
    const npy = join(stagedTaskDir(tmp.dir, 'sum-capacity', 4), 'train_gains.npy');
    const bytes = readFileSync(npy);
    bytes[bytes.length - 1] ^= 1;
    writeFileSync(npy, bytes);
    const damaged = await runCli([...stage, '--merge']);
    expect(damaged.code).toBe(2);
    expect(damaged.stderr).toMatch(/^radio-mtl: --merge: .*train_gains\.npy: checksum does not match/);
    expect(() => readDataset(tmp.dir, 'sum-capacity')).toThrow(/current.json not found/);
  });

  it.each(['0/2', '3/2', 'x'])('refuses --shard %s with one line naming --shard', async (value) => {
    const r = await runCli([...base, '--out', tmp.dir, '--shard', value]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^radio-mtl: --shard: must be I\/N with 1 <= I <= N/);
  });
});
