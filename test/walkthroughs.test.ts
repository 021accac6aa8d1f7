/**
 * docs/walkthroughs.md follows POST /v1/kpi/predict and `radio-mtl train kpi` file by file:
 * every file it names exists, each step's file is imported by an earlier step's (the chain is
 * real, not a list of names), each walkthrough takes at most 8 files, and its first file is
 * where the route or the command is declared.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DOC = readFileSync(join(ROOT, 'docs', 'walkthroughs.md'), 'utf8');
const MAX_FILES = 8;

/** The numbered steps under `## title`: the first src/ path of each, and every src/ path the section names. */
function walkthrough(title: string): { steps: string[]; named: string[] } {
  const section = DOC.split(/^## /m).find((s) => s.startsWith(`${title}\n`));
  if (!section) throw new Error(`docs/walkthroughs.md: no section '## ${title}'`);
  const steps = [...section.matchAll(/^\d+\. `(src\/[^`]+)`/gm)].map((m) => m[1]);
  const named = [...section.matchAll(/`(src\/[^`]+\.ts)`/g)].map((m) => m[1]);
  return { steps, named };
}

/** The src/ files `file` imports (relative specifiers, .js mapped back to .ts). */
function importsOf(file: string): Set<string> {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const specs = [...text.matchAll(/^import\s[^;]*?from\s+'(\.[^']+)'/gms)].map((m) => m[1]);
  return new Set(specs.map((s) => normalize(join(dirname(file), s)).replace(/\.js$/, '.ts')));
}

describe.each([
  ['POST /v1/kpi/predict', "app.post('/v1/kpi/predict'"],
  ['radio-mtl train kpi', ".command('kpi')"],
])('%s', (title, declaration) => {
  const { steps, named } = walkthrough(title);

  it(`is at most ${MAX_FILES} files, each named file exists`, () => {
    expect(steps.length).toBeGreaterThanOrEqual(3);
    expect(steps.length).toBeLessThanOrEqual(MAX_FILES);
    expect(named.filter((f) => !existsSync(join(ROOT, f)))).toEqual([]);
  });

  it('each step is imported by an earlier one, and the route or command is declared on the way', () => {
    const unreached = steps.slice(1).filter((file, k) => !steps.slice(0, k + 1).some((earlier) => importsOf(earlier).has(file)));
    expect(unreached).toEqual([]);
    expect(steps.some((f) => readFileSync(join(ROOT, f), 'utf8').includes(declaration))).toBe(true);
  });
});

test('the chain check fails for a file nothing earlier imports', () => {
  expect(importsOf('src/cli/bin.ts').has('src/cli/main.ts')).toBe(true);
  expect(importsOf('src/cli/bin.ts').has('src/dnn/kpi/trainer.ts')).toBe(false);
});
