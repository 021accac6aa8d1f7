/** kpi:unseen split over two shards and merged gives the report of one unsharded run (timing fields aside). */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFixture } from '../../dnn/kpi/fixture.js';
import { runScript, withoutTiming } from '../sweep.js';

const tmp = mkdtempSync(join(tmpdir(), 'kpi-unseen-shard-'));
const data = join(tmp, 'data');
const budget = ['--data', data, '--archs', 'hard-sharing', '--inputs', 'physical', '--epochs', '1', '--hidden', '4', '--context', '5', '--seeds', '1'];
const sweep = (name: string, extra: string[] = []) => runScript('experiments/kpi-unseen.ts', [...budget, '--runs', join(tmp, name, 'runs'), '--out', join(tmp, name, 'out'), ...extra]);
const report = (name: string) => JSON.parse(readFileSync(join(tmp, name, 'out', 'unseen.json'), 'utf8')) as { files: Array<{ runs: unknown[] }> };
const runFiles = (name: string) => readdirSync(join(tmp, name, 'runs')).filter((f) => f.endsWith('.json')).sort();

beforeAll(() => writeFixture(data, { files: 3, rows: 500 })); // three left-out files: three runs
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('kpi:unseen --shard I/N and --merge', () => {
  it('refuses a malformed --shard with one line naming it (exit 2)', () => {
    for (const bad of ['0/2', '3/2', 'x']) {
      const r = sweep('bad', ['--shard', bad]);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/^kpi:unseen: --shard: [^\n]+\n$/);
    }
  });

  it('plans the recipe (first architecture, first candidate) on --seeds seeds, the other candidates and architectures once', () => {
    // --merge on an empty runs folder lists every planned run as missing, without training any.
    const r = runScript('experiments/kpi-unseen.ts', ['--data', data, '--archs', 'ple,stl', '--inputs', 'pooled,physical', '--seeds', '2', '--runs', join(tmp, 'plan', 'runs'), '--merge']);
    expect(r.status).toBe(2);
    const planned = /runs missing: (.*)\n$/.exec(r.stderr)?.[1].split(', ') ?? [];
    const kinds = planned.map((name) => name.replace(/^outer-[^-]+_?\w*?-/, '').replace(/-h64-c10-e10/, ''));
    expect(planned).toHaveLength(3 * 4);
    expect([...new Set(kinds)].sort()).toEqual(['ple-physical-s1', 'ple-pooled-s1', 'ple-pooled-s2', 'stl-pooled-s1']);
  });

  it('with --upper-bound also plans the recipe trained on the left-out file\'s labelled first half, on --seeds seeds', () => {
    const r = runScript('experiments/kpi-unseen.ts', ['--data', data, '--archs', 'ple,stl', '--inputs', 'pooled,physical', '--seeds', '2', '--upper-bound', '--runs', join(tmp, 'plan', 'runs'), '--merge']);
    expect(r.status).toBe(2);
    const planned = /runs missing: (.*)\n$/.exec(r.stderr)?.[1].split(', ') ?? [];
    const bounds = planned.filter((name) => name.startsWith('bound-')).map((name) => name.replace(/^bound-[^-]+_?\w*?-/, '').replace(/-h64-c10-e10/, ''));
    expect(planned).toHaveLength(3 * 4 + 3 * 2);
    expect(bounds.sort()).toEqual(['ple-pooled-s1', 'ple-pooled-s1', 'ple-pooled-s1', 'ple-pooled-s2', 'ple-pooled-s2', 'ple-pooled-s2']);
  });

  it('with --adapt plans a fine-tuning of each outer model of seeds 1..--adapt-seeds, after them; --bound-seeds limits the bound', () => {
    const r = runScript('experiments/kpi-unseen.ts', ['--data', data, '--archs', 'ple', '--inputs', 'pooled', '--seeds', '3', '--upper-bound', '--bound-seeds', '1', '--adapt', '--adapt-seeds', '2', '--runs', join(tmp, 'plan', 'runs'), '--merge']);
    expect(r.status).toBe(2);
    const planned = /runs missing: (.*)\n$/.exec(r.stderr)?.[1].split(', ') ?? [];
    const of = (kind: string) => planned.filter((name) => name.startsWith(`${kind}-`)).map((name) => name.replace(/^\w+-[^-]+_?\w*?-/, '').replace(/-h64-c10-e10/, ''));
    expect(of('outer')).toHaveLength(3 * 3);
    expect(of('bound').sort()).toEqual(['ple-pooled-s1', 'ple-pooled-s1', 'ple-pooled-s1']);
    expect(of('adapt').sort()).toEqual(['ple-pooled-s1', 'ple-pooled-s1', 'ple-pooled-s1', 'ple-pooled-s2', 'ple-pooled-s2', 'ple-pooled-s2']);
    const lastOuter = planned.map((name) => name.startsWith('outer-')).lastIndexOf(true);
    expect(planned.findIndex((name) => name.startsWith('adapt-'))).toBeGreaterThan(lastOuter);
  });

  it('with --nested-recipe plans every candidate member once per training: pairs of files left out (inner), then each outer fold', () => {
    const r = runScript('experiments/kpi-unseen.ts', ['--data', data, '--archs', 'ple', '--inputs', 'pooled', '--seeds', '1', '--nested-recipe', '--runs', join(tmp, 'plan', 'runs'), '--merge']);
    expect(r.status).toBe(2);
    const planned = /runs missing: (.*)\n$/.exec(r.stderr)?.[1].split(', ') ?? [];
    // Three files: three pairs and three outer folds, seven members each (PLE seeds 1-5, MMoE, attention); the recipe's own outer run is one of them.
    expect(planned).toHaveLength(2 * 3 * 7);
    const pairs = [...new Set(planned.filter((n) => n.startsWith('inner-')).map((n) => /^inner-(Lvl_\d)_fixture-in-(Lvl_\d)_fixture/.exec(n)?.slice(1).join('/')))];
    expect(pairs).toEqual(['Lvl_0/Lvl_1', 'Lvl_0/Lvl_2', 'Lvl_1/Lvl_2']);
    // Fold by fold: Lvl_0's two pairs, then its outer trainings.
    expect(planned.slice(0, 14).every((n) => n.startsWith('inner-Lvl_0'))).toBe(true);
    expect(planned.slice(14, 21).every((n) => n.startsWith('outer-Lvl_0'))).toBe(true);
    expect(planned.filter((n) => n.startsWith('outer-') && n.includes('-mmoe-pooled-'))).toHaveLength(3);
  });

  it('one inner training serves both folds that leave out its pair of files', () => {
    const r = runScript('experiments/kpi-unseen.ts', [...budget, '--inner-cv', '--jobs', '1', '--runs', join(tmp, 'inner', 'runs'), '--out', join(tmp, 'inner', 'out')]);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/kpi:unseen: 6 trainings planned \(3 outer, 3 inner, 0 upper bound, 0 adapted\): 0 finished, 6 to run\n/);
    const inner = readdirSync(join(tmp, 'inner', 'runs')).filter((f) => f.startsWith('inner-') && f.endsWith('.json'))
      .map((f) => JSON.parse(readFileSync(join(tmp, 'inner', 'runs', f), 'utf8')) as { leftOut: string; innerLeftOut: string; trainedBy?: string; withoutProfile: { windows: number } });
    expect(inner.map((x) => `${x.leftOut.slice(0, 5)}/${x.innerLeftOut.slice(0, 5)}`).sort()).toEqual(['Lvl_0/Lvl_1', 'Lvl_0/Lvl_2', 'Lvl_1/Lvl_0', 'Lvl_1/Lvl_2', 'Lvl_2/Lvl_0', 'Lvl_2/Lvl_1']);
    expect(inner.filter((x) => x.trainedBy)).toHaveLength(3);
    expect(inner.every((x) => x.withoutProfile.windows === 250 - 35)).toBe(true);
    const md = readFileSync(join(tmp, 'inner', 'out', 'unseen.md'), 'utf8');
    expect(md).toMatch(/\| Lvl_0_fixture \| [\d.]+ \(2 folds\) \| physical \|/);
    expect(md).toContain('Finished trainings: 3 outer, 3 inner (each scored on the two files it leaves out)');
  });

  it('two shards plus --merge give the same report as one unsharded run', () => {
    const whole = sweep('whole');
    expect(whole.status).toBe(0);
    // Unsharded, it runs as two shard processes (both cores), then writes the report.
    expect(whole.stderr).toMatch(/shard 1\/2 done/);
    expect(whole.stderr).toMatch(/shard 2\/2 done/);
    const all = runFiles('whole');
    expect(all).toHaveLength(3);

    expect(sweep('sharded', ['--shard', '2/2']).status).toBe(0);
    expect(runFiles('sharded')).toEqual([all[1]]); // run k goes to shard (k mod 2) + 1
    expect(readdirSync(join(tmp, 'sharded'))).toEqual(['runs']); // a shard writes no report

    const early = sweep('sharded', ['--merge']);
    expect(early.status).toBe(2);
    expect(early.stderr).toBe(`kpi:unseen: --merge: 2 of 3 runs missing: ${all[0].replace('.json', '')}, ${all[2].replace('.json', '')}\n`);

    // --partial writes the report of what has finished and says what has not; alone it is refused.
    expect(sweep('sharded', ['--merge', '--partial']).status).toBe(0);
    expect(readFileSync(join(tmp, 'sharded', 'out', 'unseen.md'), 'utf8')).toContain('**Partial:** 2 of the 3 trainings this command plans have not finished');
    const alone = sweep('sharded', ['--partial', '--shard', '1/2']);
    expect([alone.status, alone.stderr]).toEqual([2, 'kpi:unseen: --partial: only with --merge (a report from the finished runs)\n']);

    expect(sweep('sharded', ['--shard', '1/2']).status).toBe(0);
    expect(sweep('sharded', ['--merge']).status).toBe(0);
    expect(runFiles('sharded')).toEqual(all);
    expect(readdirSync(join(tmp, 'sharded', 'out')).sort()).toEqual(readdirSync(join(tmp, 'whole', 'out')).sort());
    expect(withoutTiming(report('sharded'))).toEqual(withoutTiming(report('whole')));
    // Event metrics beside the per-window numbers, for the baselines and each seed, in the report and the JSON.
    const events = (report('whole') as unknown as { events: { models: Array<{ model: string; pooled: { labelledEpisodes: number; caught: number }; files: unknown[] }> } }).events;
    expect(events.models.map((m) => m.model)).toEqual(['majority class', 'last-step SINR threshold', 'logistic regression', 'hard-sharing physical seed 1']);
    for (const m of events.models) expect(m.files).toHaveLength(3);
    // The fixture's interference comes in bursts of rows 36n + 12 .. 36n + 23: six end a window of each second half (rows 284-498).
    expect(events.models[0].pooled).toMatchObject({ labelledEpisodes: 3 * 6, caught: 0 });
    const md = readFileSync(join(tmp, 'whole', 'out', 'unseen.md'), 'utf8');
    const recipe = events.models[3].pooled;
    expect(md).toContain(`| hard-sharing physical seed 1 | all | ${recipe.caught} / ${recipe.labelledEpisodes} |`);
  });
});
