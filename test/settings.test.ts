/** The settings module: every environment variable src/ reads is listed once, and read only there. */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ENVIRONMENT, requestedBackend } from '../src/settings.js';

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

test('no module but src/settings.ts reads process.env', () => {
  const readers = sources('src').filter((f) => /process\.env\b/.test(readFileSync(f, 'utf8'))).map((f) => relative('src', f));
  expect(readers).toEqual(['settings.ts']);
});

test('RADIO_MTL_BACKEND: unset or empty means automatic', () => {
  expect(requestedBackend({})).toBeUndefined();
  expect(requestedBackend({ RADIO_MTL_BACKEND: '' })).toBeUndefined();
  expect(requestedBackend({ RADIO_MTL_BACKEND: 'wasm' })).toBe('wasm');
  expect(Object.keys(ENVIRONMENT)).toContain('RADIO_MTL_BACKEND');
});
