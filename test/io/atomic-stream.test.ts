/** A file written piece by piece appears whole on commit, and not at all on abort. */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openAtomicFile } from '../../src/io/atomic-stream.js';
import { makeTempDir } from '../helpers/tmp.js';

let tmp: ReturnType<typeof makeTempDir>;
beforeEach(() => (tmp = makeTempDir()));
afterEach(() => tmp.cleanup());

test('pieces are invisible under the final name until commit', () => {
  const path = join(tmp.dir, 'out.ndjson');
  writeFileSync(path, 'before\n');
  const file = openAtomicFile(path);
  file.write('{"a":1}\n');
  file.write('{"a":2}\n');
  expect(readFileSync(path, 'utf8')).toBe('before\n');
  file.commit();
  expect(readFileSync(path, 'utf8')).toBe('{"a":1}\n{"a":2}\n');
  expect(readdirSync(tmp.dir)).toEqual(['out.ndjson']);
});

test('abort leaves the file as it was and no temp file behind', () => {
  const path = join(tmp.dir, 'out.json');
  const file = openAtomicFile(path);
  file.write('partial');
  file.abort();
  expect(existsSync(path)).toBe(false);
  expect(readdirSync(tmp.dir)).toEqual([]);
});
