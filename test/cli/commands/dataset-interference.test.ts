import { join } from 'node:path';
import { runCli } from '../../helpers/run-cli.js';
import { makeTempDir } from '../../helpers/tmp.js';
import { readDataset } from '../../../src/datasets/allocation/dataset-files.js';
import { sumRates } from '../../../src/solvers/interference-objective.js';
import { INTERFERENCE_DEFAULTS } from '../../../src/solvers/params.js';
import { fullPower, wmmse } from '../../../src/solvers/wmmse.js';

describe('radio-mtl dataset --problem interference', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  beforeEach(() => (tmp = makeTempDir()));
  afterEach(() => tmp.cleanup());

  const base = ['dataset', '--problem', 'interference', '--n', '3,5', '--train', '12', '--test', '7', '--seed', '4'];

  it('writes K x K gains labelled with WMMSE from full power (powers in [0, Pmax], their sum rate)', async () => {
    const r = await runCli([...base, '--out', tmp.dir]);
    expect(r.code).toBe(0);
    const { manifest, tasks } = readDataset(tmp.dir, 'interference');
    expect(manifest.params).toEqual(INTERFERENCE_DEFAULTS);
    expect(manifest.tasks[1].files.test_gains.shape).toEqual([7, 5, 5]);
    expect(manifest.tasks[1].files.test_sum_rate.shape).toEqual([7]);
    const { gains, power, objective, count, n } = tasks[1].test;
    expect([count, n]).toEqual([7, 5]);
    const solved = wmmse(gains, count, n, INTERFERENCE_DEFAULTS, fullPower(count, n, INTERFERENCE_DEFAULTS));
    expect(Array.from(power!)).toEqual(Array.from(solved.power));
    expect(Array.from(objective!)).toEqual(Array.from(sumRates(gains, count, n, power!, 1)));
    expect(Math.min(...power!)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...power!)).toBeLessThanOrEqual(INTERFERENCE_DEFAULTS.maxPowerW);
  });

  it('--channel geometric is recorded and gives other gains; shards merge to the same bytes', async () => {
    const whole = join(tmp.dir, 'whole');
    const sharded = join(tmp.dir, 'sharded');
    expect((await runCli([...base, '--channel', 'geometric', '--out', whole])).code).toBe(0);
    for (const shard of ['1/2', '2/2']) expect((await runCli([...base, '--channel', 'geometric', '--out', sharded, '--shard', shard])).code).toBe(0);
    expect((await runCli([...base, '--channel', 'geometric', '--out', sharded, '--merge'])).code).toBe(0);
    const a = readDataset(whole, 'interference');
    const b = readDataset(sharded, 'interference');
    expect(a.manifest.params).toEqual({ ...INTERFERENCE_DEFAULTS, channel: 'geometric' });
    expect(b.manifestSha256).toBe(a.manifestSha256);
    expect((await runCli([...base, '--out', join(tmp.dir, 'gauss')])).code).toBe(0);
    expect(readDataset(join(tmp.dir, 'gauss'), 'interference').tasks[0].test.gains).not.toEqual(a.tasks[0].test.gains);
  });

  it('refuses K over 100 and an unknown channel model, in one line', async () => {
    const big = await runCli(['dataset', '--problem', 'interference', '--n', '5,101', '--out', tmp.dir]);
    expect(big.code).toBe(2);
    expect(big.stderr.trim()).toBe('radio-mtl: --n: interference takes K <= 100 pairs, got 101');
    const channel = await runCli([...base, '--channel', 'rician', '--out', tmp.dir]);
    expect(channel.code).toBe(2);
    expect(channel.stderr).toMatch(/^radio-mtl: --channel: must be one of gaussian, geometric, got 'rician'/);
  });
});
