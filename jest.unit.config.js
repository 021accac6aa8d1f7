/**
 * `npm run test:unit`: the fast subset of the tests. It leaves out every test file that starts a
 * process (spawn, exec, fork: the CLI binary, scripts, servers, npm) or trains a model (the
 * trainers' entry points, `train` commands), decided by what the file calls, so a new test is
 * sorted without a list to keep.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import base from './jest.config.js';

const SLOW = /\b(spawn\w*|execFile\w*|execSync|fork|startServe|runScript|trainAllocation|trainKpi|runKpiTraining)\b|'train'/;

function testFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? testFiles(join(dir, e.name)) : e.name.endsWith('.test.ts') ? [join(dir, e.name)] : []));
}

export default {
  ...base,
  testPathIgnorePatterns: ['/node_modules/', ...testFiles('test').filter((f) => SLOW.test(readFileSync(f, 'utf8'))).map((f) => `/${f.replace(/[.]/g, '\\.')}$`)],
};
