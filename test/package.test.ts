/**
 * The package as a consumer gets it: `npm pack`, `npm install radio-mtl-<version>.tgz` in a new
 * project with only the npm registry reachable (onnxruntime-node's install script, which
 * downloads from elsewhere, may fail: the dependency is optional), then the README's library
 * example, type-checked under `strict` and run from another folder.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { solveFdmaDelayExact } from '../src/solvers/fdma-delay-exact.js';
import { FDMA_DELAY_DEFAULTS } from '../src/solvers/params.js';
import { makeTempDir } from './helpers/tmp.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };

/** The README's TypeScript block under "As a library". */
function readmeExample(): string {
  const block = /As a library[\s\S]*?```ts\n([\s\S]*?)```/.exec(readFileSync(join(ROOT, 'README.md'), 'utf8'));
  if (!block) throw new Error('README.md: no ```ts block after "As a library"');
  return block[1];
}

let tmp: ReturnType<typeof makeTempDir>;
afterAll(() => tmp?.cleanup());

test("npm install of the packed tarball works in a new project, and the README's example type-checks (strict) and runs from another folder", () => {
  // The tarball packs dist/ as built: `npm test` builds before jest.
  expect(existsSync(join(ROOT, 'dist', 'index.js'))).toBe(true);
  tmp = makeTempDir('radio-mtl-consumer-');
  const project = join(tmp.dir, 'project');
  mkdirSync(project);
  execFileSync('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', tmp.dir], { cwd: ROOT, stdio: 'ignore' });
  const tarball = join(tmp.dir, `radio-mtl-${version}.tgz`);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, type: 'module' }));
  const install = spawnSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball], { cwd: project, encoding: 'utf8' });
  expect({ status: install.status, stderr: install.status === 0 ? '' : install.stderr }).toEqual({ status: 0, stderr: '' });

  writeFileSync(join(project, 'example.ts'), readmeExample());
  // skipLibCheck: @tensorflow/tfjs-layers' own declarations do not pass a strict check.
  const tsc = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '--strict', '--skipLibCheck', '--module', 'nodenext', '--target', 'es2022', '--outDir', 'out', 'example.ts'], { cwd: project, encoding: 'utf8' });
  expect({ status: tsc.status, stdout: tsc.stdout }).toEqual({ status: 0, stdout: '' });

  const elsewhere = join(tmp.dir, 'elsewhere');
  mkdirSync(elsewhere);
  const run = spawnSync(process.execPath, [join(project, 'out', 'example.js')], { cwd: elsewhere, encoding: 'utf8' });
  expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
  // It prints the exact powers, their mean delay, then the DNN's powers for the one instance.
  const numbers = (run.stdout.replace(/Float64Array\(5\)/, '').match(/-?\d+(\.\d+)?(e-?\d+)?/g) ?? []).map(Number);
  expect(numbers).toHaveLength(11);
  const gains = [0.8, 1.7, 0.3, 2.4, 1.1];
  expect(numbers.slice(0, 5)).toEqual(Array.from(solveFdmaDelayExact(FDMA_DELAY_DEFAULTS, gains)));
  expect(numbers[5]).toBeGreaterThan(0);
  expect(numbers.slice(6).reduce((a, b) => a + b, 0)).toBeCloseTo(FDMA_DELAY_DEFAULTS.totalPowerW, 9);
}, 300_000);
