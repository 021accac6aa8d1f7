/** `radio-mtl upgrade-model DIR...`: a flat model of an older radio-mtl becomes a versioned one that loads, byte for byte. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { modelFilePath, readModelJson } from '../../../src/dnn/model-io.js';
import { makeTempDir } from '../../helpers/tmp.js';
import { runCli } from '../../helpers/run-cli.js';

let tmp: ReturnType<typeof makeTempDir>;
beforeEach(() => {
  tmp = makeTempDir();
});
afterEach(() => tmp.cleanup());

/** The shipped KPI model's files in the flat layout (as older radio-mtl saved them), plus a sidecar. */
function flatModel(name: string): string {
  const dir = join(tmp.dir, name);
  mkdirSync(dir);
  for (const f of ['model.json', 'weights.bin']) writeFileSync(join(dir, f), readFileSync(modelFilePath('models/kpi-ple', f)));
  writeFileSync(join(dir, 'metrics.json'), '{"accuracy": 0.95}\n');
  return dir;
}

test('a flat model is moved into the versioned layout and then loads, its bytes unchanged', async () => {
  const dir = flatModel('old');
  const res = await runCli(['upgrade-model', dir]);
  expect(res.code).toBe(0);
  expect(res.stderr).toMatch(/^.*old: upgraded to v1 \(weights sha256 ea123329c595\.\.\., sidecars: metrics\.json\)\n$/);
  expect(existsSync(join(dir, 'model.json'))).toBe(false);
  expect(existsSync(join(dir, 'current.json'))).toBe(true);
  for (const f of ['model.json', 'weights.bin']) expect(readFileSync(modelFilePath(dir, f))).toEqual(readFileSync(modelFilePath('models/kpi-ple', f)));
  expect(readFileSync(modelFilePath(dir, 'metrics.json'), 'utf8')).toBe('{"accuracy": 0.95}\n');
  expect(readModelJson(dir).json.weightsSha256).toBe(readModelJson('models/kpi-ple').json.weightsSha256);
  const again = await runCli(['upgrade-model', dir]);
  expect({ code: again.code, stderr: again.stderr }).toEqual({ code: 0, stderr: `${dir}: already versioned, left as is\n` });
});

test('weights that do not match model.json: one line naming the file, exit 2, nothing moved', async () => {
  const dir = flatModel('edited');
  const weights = readFileSync(join(dir, 'weights.bin'));
  weights[100] ^= 1;
  writeFileSync(join(dir, 'weights.bin'), weights);
  const res = await runCli(['upgrade-model', dir]);
  expect(res.code).toBe(2);
  expect(res.stderr).toMatch(/^radio-mtl: .*edited\/weights\.bin: sha256 [0-9a-f]{64} does not match model\.json \(ea123329[0-9a-f]+\); not upgraded\n$/);
  expect(existsSync(join(dir, 'model.json'))).toBe(true);
  expect(existsSync(join(dir, 'current.json'))).toBe(false);
});

test('a directory without a model: one line, exit 2', async () => {
  const res = await runCli(['upgrade-model', tmp.dir]);
  expect(res.code).toBe(2);
  expect(res.stderr).toBe(`radio-mtl: ${tmp.dir}: has neither current.json nor model.json: not a model directory\n`);
});
