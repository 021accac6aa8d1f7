/**
 * The README's `kpi` commands run as written, on the files the repository ships
 * (docs/examples/), from a folder laid out like a clone (bin, models, docs).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, symlinkSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeTempDir } from './helpers/tmp.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The commands of the README's ```sh block under the heading that starts with `heading`. */
function readmeCommands(heading: string): string[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf(heading));
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
  return block.split('\n').filter((l) => l.startsWith('./bin/radio-mtl'));
}

let tmp: ReturnType<typeof makeTempDir>;
afterAll(() => tmp?.cleanup());

test('`kpi calibrate` then `kpi predict` as the README shows them', () => {
  const commands = readmeCommands('### `kpi`');
  expect(commands.map((c) => c.split(' ').slice(0, 3).join(' '))).toEqual(['./bin/radio-mtl kpi calibrate', './bin/radio-mtl kpi predict']);
  // Every file a command reads is in the repository.
  for (const c of commands) {
    const input = /--input (\S+)/.exec(c)?.[1] ?? '';
    expect({ input, exists: existsSync(join(ROOT, input)) }).toEqual({ input, exists: true });
  }
  tmp = makeTempDir('radio-mtl-readme-');
  for (const dir of ['bin', 'models', 'docs']) symlinkSync(join(ROOT, dir), join(tmp.dir, dir));
  const results = commands.map((c) => spawnSync('bash', ['-c', c], { cwd: tmp.dir, encoding: 'utf8' }));
  for (const r of results) expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
  const profile = JSON.parse(readFileSync(join(tmp.dir, 'cell.profile.json'), 'utf8')) as { model: string; rows: number };
  expect(profile.model).toMatch(/^kpi-ple@/);
  const answer = JSON.parse(results[1].stdout) as { scaler: string; predictions: Array<{ interferenceProbability: number }> };
  expect(answer.scaler).toBe('profile');
  expect(answer.predictions).toHaveLength(2);
}, 120_000);
