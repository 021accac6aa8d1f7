/** Functions a reader can hold in mind: no function in src/ longer than 80 lines, generated code aside. */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

const MAX_LINES = 80;
const GENERATED = join('src', 'server', 'generated');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return relative(process.cwd(), path) === GENERATED ? [] : sourceFiles(path);
    return e.name.endsWith('.ts') ? [path] : [];
  });
}

/** Every function-like node with a body in `source` (declarations, methods, arrows, expressions), with its first line and length. */
function longFunctions(name: string, source: string, maxLines = MAX_LINES): string[] {
  const file = ts.createSourceFile(name, source, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const first = file.getLineAndCharacterOfPosition(node.getStart(file)).line;
      const last = file.getLineAndCharacterOfPosition(node.getEnd()).line;
      if (last - first + 1 > maxLines) found.push(`${name}:${first + 1}: ${last - first + 1} lines`);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

test(`no function in src/ over ${MAX_LINES} lines`, () => {
  const files = sourceFiles(join(process.cwd(), 'src'));
  expect(files.length).toBeGreaterThan(50);
  expect(files.flatMap((f) => longFunctions(relative(process.cwd(), f), readFileSync(f, 'utf8')))).toEqual([]);
});

test('the check finds a long function, an arrow and a method alike', () => {
  const body = Array.from({ length: 80 }, (_, i) => `  x += ${i};`).join('\n');
  const source = `function f() {\n${body}\n}\nconst g = () => {\n${body}\n};\nclass C { m() {\n${body}\n} }\nfunction short() { return 1; }\n`;
  expect(longFunctions('t.ts', source)).toEqual(['t.ts:1: 82 lines', 't.ts:83: 82 lines', 't.ts:165: 82 lines']);
});
