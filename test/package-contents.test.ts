/**
 * What `npm pack` ships of dist/: only modules built from src/ that the package's entry points
 * reach. Research code lives in scripts/ or, where scripts share it with tests (report and chart
 * writers, speed reports), in src/ outside the build (tsconfig.build.json builds from the entry points).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

type Madge = (path: string, config: object) => Promise<{ obj(): Record<string, string[]> }>;
const madge = createRequire(import.meta.url)('madge') as Madge;
const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The package's programs and its public API (src/-relative); the two workers are started by URL, not imported. */
const ENTRIES = ['index.ts', 'cli/bin.ts', 'server/solver-worker.ts', 'server/calibration-worker.ts'];


function reachable(graph: Record<string, string[]>): Set<string> {
  const seen = new Set<string>();
  const stack = [...ENTRIES];
  while (stack.length > 0) {
    const file = stack.pop() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    stack.push(...(graph[file] ?? []));
  }
  return seen;
}

test('the packed dist/ holds the modules the entry points reach, each built from src/, and no research code', async () => {
  // npm test builds dist/ before jest, from scratch (`npm run build` empties it first): a module left over
  // from older sources would ship.
  const [{ files }] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8' })) as Array<{ files: Array<{ path: string }> }>;
  const packed = files.map((f) => f.path).filter((p) => p.startsWith('dist/') && p.endsWith('.js')).map((p) => p.slice('dist/'.length).replace(/\.js$/, '.ts'));
  expect(packed).toContain('index.ts');
  expect(packed.filter((m) => !existsSync(join(ROOT, 'src', m)))).toEqual([]);
  const graph = (await madge(join(ROOT, 'src'), { fileExtensions: ['ts'], tsConfig: join(ROOT, 'tsconfig.json') })).obj();
  const reached = reachable(graph);
  expect(packed.filter((m) => !reached.has(m))).toEqual([]);
  // And nothing the programs need is missing from the package.
  expect([...reached].filter((m) => !packed.includes(m))).toEqual([]);
}, 120_000);
