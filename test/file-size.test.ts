/** One concern per file: no source file of src/ or scripts/ over 300 lines, generated code aside. */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const MAX_LINES = 300;
const GENERATED = join('src', 'server', 'generated');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return relative(process.cwd(), path) === GENERATED ? [] : sourceFiles(path);
    return /\.(ts|py)$/.test(e.name) ? [path] : [];
  });
}

const lineCount = (path: string) => readFileSync(path, 'utf8').split('\n').length - 1;

test(`no source file over ${MAX_LINES} lines`, () => {
  const files = [...sourceFiles(join(process.cwd(), 'src')), ...sourceFiles(join(process.cwd(), 'scripts'))];
  expect(files.length).toBeGreaterThan(50);
  const long = files.map((f) => `${relative(process.cwd(), f)}: ${lineCount(f)} lines`).filter((_, i) => lineCount(files[i]) > MAX_LINES);
  expect(long).toEqual([]);
});
