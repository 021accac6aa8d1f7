import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../src/io/atomic-write.js';
import { makeTempDir } from '../helpers/tmp.js';

const tmp = makeTempDir('radio-mtl-atomic-');
afterAll(() => tmp.cleanup());

describe('writeFileAtomic', () => {
  it('replaces a longer file whole, creates missing folders, and leaves no temp file', () => {
    const path = join(tmp.dir, 'a', 'b', 'out.json');
    writeFileAtomic(path, 'a first version that is longer\n');
    writeFileAtomic(path, Uint8Array.from([0x6e, 0x65, 0x77]));
    expect(readFileSync(path, 'utf8')).toBe('new');
    expect(readdirSync(join(tmp.dir, 'a', 'b'))).toEqual(['out.json']);
  });

  it('leaves no temp file when the final rename fails', () => {
    const dir = join(tmp.dir, 'blocked');
    // A folder stands where the file should go: writing succeeds, the rename cannot.
    mkdirSync(join(dir, 'out.json'), { recursive: true });
    writeFileSync(join(dir, 'other.txt'), 'kept');
    expect(() => writeFileAtomic(join(dir, 'out.json'), 'new')).toThrow(/EISDIR|ENOTEMPTY|EEXIST/);
    expect(readdirSync(dir).sort()).toEqual(['other.txt', 'out.json']);
  });
});
