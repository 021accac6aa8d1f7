import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readJsonInput } from '../../src/cli/read-input.js';
import { InputError } from '../../src/input-error.js';
import { makeTempDir } from '../helpers/tmp.js';

const tmp = makeTempDir('radio-mtl-read-input-');
afterAll(() => tmp.cleanup());

describe('readJsonInput', () => {
  it('reads a JSON file', () => {
    const path = join(tmp.dir, 'in.json');
    writeFileSync(path, '{"gains": [[1, 2]]}');
    expect(readJsonInput(path)).toEqual({ gains: [[1, 2]] });
  });

  it("reads stdin for '-'", () => {
    const script = "import { readJsonInput } from './src/cli/read-input.ts'; process.stdout.write(JSON.stringify(readJsonInput('-')));";
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { input: '[1, 2, 3]', encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual([1, 2, 3]);
  });

  it('names the option for a missing file and for bad JSON', () => {
    const missing = join(tmp.dir, 'nope.json');
    expect(() => readJsonInput(missing, '--gains')).toThrow(InputError);
    expect(() => readJsonInput(missing, '--gains')).toThrow(`--gains: cannot read '${missing}' (ENOENT)`);
    const bad = join(tmp.dir, 'bad.json');
    writeFileSync(bad, '{"gains": ');
    expect(() => readJsonInput(bad, '--gains')).toThrow(new RegExp(`^--gains: '${bad}' is not valid JSON \\(`));
  });
});
