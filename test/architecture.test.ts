/**
 * The layering of src/: imports between its folders form no cycle, so each folder can be read
 * knowing only the folders below it (channels -> solvers -> measurements -> datasets -> dnn ->
 * detection -> server / cli).
 * The import graph comes from madge; only the folder-level check is ours.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';

type Madge = (path: string, config: object) => Promise<{ obj(): Record<string, string[]> }>;
const madge = createRequire(import.meta.url)('madge') as Madge;

/** src/<folder>/... -> <folder>; files directly in src/ are the package root. */
const folderOf = (file: string) => (file.includes('/') ? file.split('/')[0] : '.');

function findCycle(edges: Map<string, Set<string>>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (node: string): string[] | undefined => {
    if (state.get(node) === 'done') return undefined;
    if (state.get(node) === 'open') return [...path.slice(path.indexOf(node)), node];
    state.set(node, 'open');
    path.push(node);
    for (const next of edges.get(node) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(node, 'done');
    return undefined;
  };
  for (const node of edges.keys()) {
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return undefined;
}

let graph: Record<string, string[]>;
beforeAll(async () => {
  graph = (await madge(join(process.cwd(), 'src'), { fileExtensions: ['ts'], tsConfig: join(process.cwd(), 'tsconfig.json') })).obj();
}, 60_000);

test('no import cycle between the folders of src/', () => {
  const files = Object.keys(graph);
  expect(files.length).toBeGreaterThan(50);
  const edges = new Map<string, Set<string>>();
  for (const [file, imports] of Object.entries(graph)) {
    const from = folderOf(file);
    if (from === '.') continue; // the package root (index.ts) re-exports everything
    for (const imported of imports) {
      const to = folderOf(imported);
      if (to !== from && to !== '.') edges.set(from, (edges.get(from) ?? new Set()).add(to));
    }
  }
  expect(findCycle(edges) ?? 'none').toBe('none');
  // The cycle check itself: a graph with one must be caught.
  expect(findCycle(new Map([['a', new Set(['b'])], ['b', new Set(['a'])]]))).toEqual(['a', 'b', 'a']);
});

/**
 * Outside src/server/ only the package root (which exports createApp and startServer) and the
 * `serve` command may import the server: the CLI, the library and detection answer through the
 * family services (src/dnn/<family>/service.ts) and never build a server context.
 */
const SERVER_IMPORTERS = ['cli/commands/serve.ts', 'index.ts'];

test('nothing outside src/server/ but the package root and `serve` imports the server', () => {
  const importers = Object.entries(graph)
    .filter(([file, imports]) => !file.startsWith('server/') && imports.some((f) => f.startsWith('server/')))
    .map(([file]) => file)
    .sort();
  expect(importers).toEqual(SERVER_IMPORTERS);
});
