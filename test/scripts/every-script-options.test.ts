/**
 * Every npm script (and every script run directly with tsx) answers `--help` with its usage and
 * exit code 0, an unknown option with one line and exit code 2, a missing FccIQ directory with one
 * line and exit code 2, all before doing any work: no file of the repository is written.
 */
import { spawn } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runPool } from '../../scripts/shared/lib.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const packageScripts = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
/** npm scripts that pass their arguments to a tool (tsc, eslint, jest, openapi-typescript), not to a script of ours. */
const TOOLS = ['prepare', 'build', 'lint', 'test', 'test:unit', 'generate:api'];
/** Scripts run as `node --import tsx <file>` (no npm script). */
const DIRECT = ['scripts/bench/bench-kpi-step.ts', 'scripts/experiments/interference-study.ts', 'scripts/docs/redraw-charts.ts', 'test/unmirrored-tests.ts'];

interface Entry {
  name: string;
  /** The program: node (process.execPath) unless the npm script runs bash. */
  program?: string;
  argv: string[];
}

function entries(): Entry[] {
  const fromNpm = Object.entries(packageScripts).filter(([name]) => !TOOLS.includes(name)).map(([name, command]) => {
    const tsx = /^tsx (\S+\.ts)$/.exec(command);
    if (tsx) return { name, argv: ['--import', 'tsx', tsx[1]] };
    const node = /^node (.+)$/.exec(command);
    if (node) return { name, argv: node[1].split(' ') };
    const bash = /^bash (\S+\.sh)$/.exec(command);
    if (bash) return { name, program: 'bash', argv: [bash[1]] };
    throw new Error(`npm script ${name}: '${command}' is neither tsx <file>.ts, node ... nor bash <file>.sh: teach this test how to run it`);
  });
  return [...fromNpm, ...DIRECT.map((file) => ({ name: file, argv: ['--import', 'tsx', file] }))];
}

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function run(argv: string[], program = process.execPath): Promise<Run> {
  return new Promise((done) => {
    const child = spawn(program, argv, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, RADIO_MTL_LOG_LEVEL: 'silent' } });
    let stdout = '', stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (status) => done({ status, stdout, stderr }));
  });
}

/** The repository's files as git sees them, and the newest modification time of the tracked ones. */
function repositoryState(): { status: string; newestMtimeMs: number } {
  const status = execFileSync('git', ['status', '--porcelain', '--untracked-files=all'], { cwd: ROOT, encoding: 'utf8' });
  const tracked = execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' }).split('\0').filter(Boolean);
  const newestMtimeMs = Math.max(...tracked.map((f) => {
    try {
      return statSync(join(ROOT, f)).mtimeMs;
    } catch {
      return 0;
    }
  }));
  return { status, newestMtimeMs };
}

const results = new Map<string, { help: Run; unknown: Run; noData?: Run }>();
let before: ReturnType<typeof repositoryState>;

beforeAll(async () => {
  before = repositoryState();
  // Two at a time: the machine's cores are shared.
  const failures = await runPool(entries(), 2, async (e) => {
    const help = await run([...e.argv, '--help'], e.program);
    const unknown = await run([...e.argv, '--no-such-option'], e.program);
    const noData = /--data DIR\s+FccIQ/.test(help.stdout) ? await run([...e.argv, '--data', '/nonexistent/fcciq'], e.program) : undefined;
    results.set(e.name, { help, unknown, noData });
  });
  expect(failures).toEqual([]);
}, 600_000);

describe.each(entries().map((e) => [e.name]))('%s', (name) => {
  it('--help prints its usage and exits 0', () => {
    const { help } = results.get(name) as { help: Run };
    expect({ status: help.status, stderr: help.stderr }).toEqual({ status: 0, stderr: '' });
    expect(help.stdout).toMatch(/^usage: /i);
    expect(help.stdout).toMatch(/--help/);
  });

  it('an unknown option is one line naming it, exit 2', () => {
    const { unknown } = results.get(name) as { unknown: Run };
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/^[^\n]*--no-such-option[^\n]*\n$/);
  });

});

it('every script that reads FccIQ data refuses a missing directory with one line naming --data, exit 2', () => {
  const readers = [...results].filter(([, r]) => r.noData);
  expect(readers.map(([name]) => name)).toEqual(expect.arrayContaining(['reproduce:kpi', 'kpi:gaps']));
  for (const [name, { noData }] of readers) {
    expect({ name, status: noData?.status }).toEqual({ name, status: 2 });
    expect(noData?.stderr).toMatch(/^[^\n]*: --data: [^\n]*\/nonexistent\/fcciq[^\n]*\n$/);
  }
});

it('writes nothing into the repository', () => {
  expect(repositoryState()).toEqual(before);
});
