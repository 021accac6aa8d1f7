/**
 * `tsx scripts/unmirrored-tests.ts`: the modules of src/ without a test at the mirrored path
 * test/<same folder>/<name>.test.ts, one per line (generated code aside). Many are covered by
 * the tests of the modules that use them; this lists where a reader will not find a test
 * beside the module's name.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT } from './lib.js';

function modules(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'generated' ? [] : modules(path);
    return e.name.endsWith('.ts') ? [relative(join(ROOT, 'src'), path)] : [];
  });
}

const unmirrored = modules(join(ROOT, 'src'))
  .filter((m) => !existsSync(join(ROOT, 'test', m.replace(/\.ts$/, '.test.ts'))))
  .sort();
for (const m of unmirrored) process.stdout.write(`src/${m}\n`);
process.stderr.write(`${unmirrored.length} modules of src/ have no mirrored test file\n`);
