/**
 * A save killed at any rename or delete leaves the directory loadable as the old artefact
 * or the new one, never neither; the next successful save leaves no staging behind.
 * Each save runs in a child process whose preload SIGKILLs it just before its k-th
 * renameSync or rmSync call, for k = 1, 2, ... until a save completes (a few k at once,
 * each on its own copy of the old artefact).
 */
import { spawn } from 'node:child_process';
import { cpSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readDataset } from '../../src/datasets/allocation/dataset-files.js';
import { initEngine } from '../../src/dnn/engine.js';
import { loadModelArrays, readModelSidecar } from '../../src/dnn/model-io.js';
import { makeTempDir } from '../helpers/tmp.js';
import { saveTinyDataset, saveTinyModel } from './fixtures/tiny-artefacts.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FIXTURES = fileURLToPath(new URL('./fixtures', import.meta.url));
const OLD_SEED = 1;
const NEW_SEED = 2;
const LATER_SEED = 3;

interface Artefact {
  kind: 'model' | 'dataset';
  /** The directory the save switches (a model directory, a dataset's problem folder). */
  switched: (root: string) => string;
  save: (root: string, seed: number) => void;
  /** Seed of what loads from `root`; throws when nothing loads. */
  loadedSeed: (root: string) => number;
}

let tmp: ReturnType<typeof makeTempDir>;
beforeAll(() => initEngine());
beforeEach(() => (tmp = makeTempDir()));
afterEach(() => tmp.cleanup());

/** Saves NEW_SEED into `root` in a child killed at its k-th rename/delete; true when it completed. */
function saveInChild(a: Artefact, root: string, killAt: number): Promise<boolean> {
  const args = ['--import', 'tsx', '--import', join(FIXTURES, 'kill-at-call.mjs'), join(FIXTURES, 'save-artefact.ts'), a.kind, root, String(NEW_SEED)];
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, KILL_AT_CALL: String(killAt) }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (signal === 'SIGKILL') resolve(false);
      else if (code === 0) resolve(true);
      else reject(new Error(`child save failed (${code}): ${stderr}`));
    });
  });
}

/** After a kill: what loads is the old or the new artefact; a new save then cleans up. */
function checkAfterKill(a: Artefact, root: string, pristine: string): void {
  expect([OLD_SEED, NEW_SEED]).toContain(a.loadedSeed(root));
  a.save(root, LATER_SEED);
  expect(a.loadedSeed(root)).toBe(LATER_SEED);
  const dir = a.switched(root);
  const { version } = JSON.parse(readFileSync(join(dir, 'current.json'), 'utf8')) as { version: string };
  expect(readdirSync(dir).sort()).toEqual(['current.json', version]);
  if (dir !== root) expect(readdirSync(root)).toEqual(readdirSync(pristine));
}

/** Kills the save at k = 1, 2, ... until it completes; returns the number of the completing run. */
async function killAtEveryStep(a: Artefact): Promise<number> {
  const pristine = join(tmp.dir, 'pristine');
  a.save(pristine, OLD_SEED);
  const BATCH = 4;
  for (let first = 1; first <= 40; first += BATCH) {
    const ks = Array.from({ length: BATCH }, (_, i) => first + i);
    const roots = ks.map((k) => join(tmp.dir, `kill-${k}`));
    for (const root of roots) cpSync(pristine, root, { recursive: true });
    const completed = await Promise.all(ks.map((k, i) => saveInChild(a, roots[i], k)));
    for (const [i, root] of roots.entries()) {
      if (completed[i]) {
        expect(a.loadedSeed(root)).toBe(NEW_SEED);
        return ks[i];
      }
      checkAfterKill(a, root, pristine);
    }
  }
  throw new Error('the save never completed');
}

describe('kill at every rename', () => {
  test('model: the old model or the new one loads, never neither', async () => {
    const model: Artefact = {
      kind: 'model',
      switched: (root) => root,
      save: saveTinyModel,
      loadedSeed: (root) => {
        const { manifest, arrays } = loadModelArrays<{ seed: number }>(root);
        // Weights, manifest and sidecar come from the same save.
        expect(Array.from(arrays.b.values)).toEqual([manifest.seed, -manifest.seed]);
        expect(JSON.parse(readModelSidecar(root, 'metrics.json') ?? '{}')).toEqual({ seed: manifest.seed });
        return manifest.seed;
      },
    };
    expect(await killAtEveryStep(model)).toBeGreaterThan(2);
  }, 60_000);

  test('dataset: the old dataset or the new one loads, never neither', async () => {
    const dataset: Artefact = {
      kind: 'dataset',
      switched: (root) => join(root, 'fdma-delay'),
      save: saveTinyDataset,
      loadedSeed: (root) => readDataset(root, 'fdma-delay').manifest.seed,
    };
    expect(await killAtEveryStep(dataset)).toBeGreaterThan(2);
  }, 60_000);
});
