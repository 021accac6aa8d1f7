/** `npm run study:allocation`: sharded, merged, partial and resumed runs give the same report. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../../helpers/run-cli.js';
import { makeTempDir } from '../../helpers/tmp.js';
import { runScript, withoutTiming } from '../sweep.js';

const TINY = ['--steps', '2', '--ref-samples', '500'];
const study = (args: string[]) => runScript('experiments/study-allocation.ts', [...TINY, ...args]);

/** The report without what depends on the clock or the command line. */
function report(out: string): Record<string, unknown> {
  const files: Record<string, unknown> = {};
  for (const name of readdirSync(out).sort()) {
    const text = readFileSync(join(out, name), 'utf8');
    if (name === 'study.json') files[name] = withoutTiming(JSON.parse(text));
    else if (name === 'README.md') files[name] = text.slice(text.indexOf('## Task weighting'));
    else files[name] = text;
  }
  return files;
}

describe('npm run study:allocation -- --shard I/N / --merge', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  beforeAll(() => (tmp = makeTempDir()));
  afterAll(() => tmp.cleanup());

  it('two shards plus merge write the report of one unsharded run; --merge names missing runs, --partial reports without them', async () => {
    const data = join(tmp.dir, 'data');
    expect((await runCli(['dataset', '--problem', 'fdma-delay,sum-capacity', '--n', '5,8', '--train', '40', '--test', '10', '--out', data])).code).toBe(0);
    const dirs = (root: string) => ['--data', data, '--runs', join(root, 'runs'), '--out', join(root, 'out')];
    const whole = join(tmp.dir, 'whole');
    const sharded = join(tmp.dir, 'sharded');
    expect(study(dirs(whole)).status).toBe(0);

    const first = study([...dirs(sharded), '--shard', '1/2']);
    expect(first.status).toBe(0);
    expect(first.stderr).toMatch(/shard 1\/2: 14 of 27 runs/);
    const early = study([...dirs(sharded), '--merge']);
    expect(early.status).toBe(2);
    expect(early.stderr).toMatch(/^study:allocation: --merge: 13 of 27 runs missing: baseline\/seed2, trained-noise-0.1\/seed1, .* \(--partial reports without them\)\n$/);
    const partial = study([...dirs(sharded), '--merge', '--partial']);
    expect(partial.status).toBe(0);
    expect(readFileSync(join(sharded, 'out', 'README.md'), 'utf8')).toMatch(/14 of 27 runs finished[^]*\*\*Missing runs\*\* \(not in any table\): baseline\/seed2, /);

    expect(study([...dirs(sharded), '--shard', '2/2']).status).toBe(0);
    expect(study([...dirs(sharded), '--merge']).status).toBe(0);
    expect(report(join(sharded, 'out'))).toEqual(report(join(whole, 'out')));
    // Resumed: everything is finished, nothing is trained again.
    const again = study([...dirs(sharded), '--shard', '1/2']);
    expect(again.stderr.match(/finished before, skipped/g)).toHaveLength(14);
  }, 600_000);

  it('--partial without --merge is refused with one line', () => {
    const r = study(['--partial', '--runs', join(tmp.dir, 'none')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('study:allocation: --partial: only with --merge\n');
  });
});
