/**
 * `tsx test/unmirrored-tests.ts`: the modules of src/ without a test at the mirrored path
 * test/<same folder>/<name>.test.ts, one per line (generated code aside), each exempt one
 * followed by why it needs none. Many of the others are covered by the tests of the modules
 * that use them; this lists where a reader will not find a test beside the module's name.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { readScriptOptions, ROOT } from '../scripts/shared/lib.js';

readScriptOptions({
  name: 'test/unmirrored-tests.ts',
  summary: 'Lists the modules of src/ without a test at the mirrored path test/<folder>/<name>.test.ts, the exempt ones with the reason.',
  options: {},
});

/**
 * Modules that need no test of their own: nothing in them can be wrong on its own, or
 * they only run as a process of their own. A module with behaviour stays listed, however
 * hard it is to test.
 */
const EXEMPT: Readonly<Record<string, string>> = {
  'cli/bin.ts': 'entry point: calls main() and exits',
  'cli/main.ts': 'entry point: every CLI test runs through it',
  'cli/commands/evaluate.ts': 'wiring: the parent command registers its subcommands',
  'cli/commands/export.ts': 'wiring: the parent command registers its subcommands',
  'cli/commands/train.ts': 'wiring: the parent command registers its subcommands',
  'dnn/allocation/index.ts': 're-exports only',
  'server/limits.ts': 'a constant table and its one-line lookup',
  'version.ts': 'constant only',
};

function modules(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'generated' ? [] : modules(path);
    return e.name.endsWith('.ts') ? [relative(join(ROOT, 'src'), path)] : [];
  });
}

const all = modules(join(ROOT, 'src'));
const unmirrored = all.filter((m) => !existsSync(join(ROOT, 'test', m.replace(/\.ts$/, '.test.ts')))).sort();
const stale = Object.keys(EXEMPT).filter((m) => !unmirrored.includes(m));
if (stale.length > 0) {
  // An exemption for a module that is gone or now has a test would hide nothing but mislead.
  process.stderr.write(`unmirrored-tests: exempt but not unmirrored (remove from EXEMPT): ${stale.join(', ')}\n`);
  process.exit(1);
}
for (const m of unmirrored) process.stdout.write(`src/${m}${m in EXEMPT ? `  (exempt: ${EXEMPT[m]})` : ''}\n`);
const exempt = unmirrored.filter((m) => m in EXEMPT).length;
process.stderr.write(`${unmirrored.length} modules of src/ without a mirrored test, ${exempt} of them exempt (reasons listed); ${unmirrored.length - exempt} to go\n`);
