/** reproduce:kpi split over two shards and merged gives the report of one unsharded run (timing fields aside). */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFixture } from '../../dnn/kpi/fixture.js';
import { runScript, withoutTiming } from '../sweep.js';

const tmp = mkdtempSync(join(tmpdir(), 'reproduce-kpi-shard-'));
const data = join(tmp, 'data');
const budget = ['--data', data, '--archs', 'hard-sharing', '--seeds', '3', '--epochs', '1', '--hidden', '4', '--jobs', '1', '--no-model'];
const sweep = (name: string, extra: string[] = [], env: NodeJS.ProcessEnv = {}) =>
  runScript('experiments/reproduce-kpi.ts', [...budget, '--runs', join(tmp, name, 'runs'), '--out', join(tmp, name, 'out'), ...extra], env);
type Pooled = { labelledEpisodes: number; caught: number };
const report = (name: string) => JSON.parse(readFileSync(join(tmp, name, 'out', 'results.json'), 'utf8')) as { runs: unknown[]; events: { archs: Array<{ seeds: Array<{ pooled: Pooled }>; seedsPooled: Pooled }> } };

beforeAll(() => writeFixture(data, { files: 2, rows: 500 }));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('reproduce:kpi --shard I/N and --merge', () => {
  it('refuses a malformed --shard with one line naming it (exit 2)', () => {
    for (const bad of ['0/2', '3/2', 'x']) {
      const r = sweep('bad', ['--shard', bad]);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/^reproduce:kpi: --shard: [^\n]+\n$/);
    }
  });

  it('two shards plus --merge give the same report as one unsharded run', () => {
    expect(sweep('whole').status).toBe(0);
    // Event metrics of every seed on the fixture's test split (it has Time and lab_inf columns).
    const [events] = report('whole').events.archs;
    expect(events.seeds).toHaveLength(3);
    expect(events.seeds[0].pooled.labelledEpisodes).toBeGreaterThan(0);
    expect(events.seedsPooled.labelledEpisodes).toBe(3 * events.seeds[0].pooled.labelledEpisodes);
    expect(readFileSync(join(tmp, 'whole', 'out', 'README.md'), 'utf8')).toContain('## Episodes on the test split (event metrics)');

    const first = sweep('sharded', ['--shard', '1/2']);
    expect(first.status).toBe(0);
    expect(readdirSync(join(tmp, 'sharded', 'runs', 'hard-sharing')).sort()).toEqual(['seed-1', 'seed-3']);
    expect(readdirSync(join(tmp, 'sharded'))).toEqual(['runs']); // a shard writes no report

    const early = sweep('sharded', ['--merge']);
    expect(early.status).toBe(2);
    expect(early.stderr).toBe('reproduce:kpi: --merge: 1 of 3 runs missing: hard-sharing/seed-2\n');

    // The second shard, as a Kubernetes Indexed Job runs it: 0-based index from the environment.
    expect(sweep('sharded', ['--shard-index-env', 'JOB_COMPLETION_INDEX', '--shards', '2'], { JOB_COMPLETION_INDEX: '1' }).status).toBe(0);
    expect(sweep('sharded', ['--merge']).status).toBe(0);

    expect(readdirSync(join(tmp, 'sharded', 'out')).sort()).toEqual(readdirSync(join(tmp, 'whole', 'out')).sort());
    expect(report('sharded').runs).toHaveLength(3);
    expect(withoutTiming(report('sharded'))).toEqual(withoutTiming(report('whole')));
  });
});
