import { mkdtempSync, readFileSync, writeFileSync, rmSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initEngine, tf } from '../../src/dnn/engine.js';
import { copyModel, loadModel, ModelFileError, modelFilePath, readModelSidecar, saveModel, readModelJson } from '../../src/dnn/model-io.js';

let dir: string;
beforeAll(async () => {
  await initEngine();
});
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'model-io-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function sample() {
  return {
    weights: { w: tf.tensor2d([[1, 2.5], [-3, 4e-8]]), b: tf.tensor1d([0.125, -7]), idx: tf.tensor1d([3, 1, 2], 'int32') },
    manifest: { scheme: 'routed', seed: 7, nested: { a: [1, 2] } },
  };
}

describe('model-io', () => {
  test('save -> load round trip keeps values, shapes, dtypes and manifest', () => {
    const m = sample();
    const res = saveModel(dir, m);
    expect(res.weightsSha256).toMatch(/^[0-9a-f]{64}$/);
    const back = loadModel(dir);
    expect(back.manifest).toEqual(m.manifest);
    for (const [k, t] of Object.entries(m.weights)) {
      expect(back.weights[k].shape).toEqual(t.shape);
      expect(back.weights[k].dtype).toBe(t.dtype);
      expect(Array.from(back.weights[k].dataSync())).toEqual(Array.from(t.dataSync()));
    }
    expect(readModelJson(dir).json.weightSpecs.map((s) => s.name)).toEqual(['w', 'b', 'idx']);
  });

  test('a corrupted weights file is refused', () => {
    saveModel(dir, sample());
    const p = modelFilePath(dir, 'weights.bin');
    const bytes = readFileSync(p);
    bytes[3] ^= 0xff;
    writeFileSync(p, bytes);
    expect(() => loadModel(dir)).toThrow(ModelFileError);
    expect(() => loadModel(dir)).toThrow(/corrupted/);
  });

  test('a truncated weights file is refused', () => {
    saveModel(dir, sample());
    const p = modelFilePath(dir, 'weights.bin');
    writeFileSync(p, readFileSync(p).subarray(0, 10));
    expect(() => loadModel(dir)).toThrow(/truncated/);
  });

  test('a partial model.json and a missing model are refused', () => {
    saveModel(dir, sample());
    const p = modelFilePath(dir, 'model.json');
    writeFileSync(p, readFileSync(p, 'utf8').slice(0, 40));
    expect(() => loadModel(dir)).toThrow(/model\.json: has \d+ bytes but current\.json records \d+; the file is truncated/);
    expect(() => loadModel(join(dir, 'nope'))).toThrow(/model.json is missing/);
  });

  test('an edit of one byte of the manifest in model.json is refused, naming the file and the rule', () => {
    saveModel(dir, sample());
    const p = modelFilePath(dir, 'model.json');
    writeFileSync(p, readFileSync(p, 'utf8').replace('"seed": 7', '"seed": 8'));
    expect(() => readModelJson(dir)).toThrow(ModelFileError);
    expect(() => loadModel(dir)).toThrow(/v1\/model\.json: sha256 [0-9a-f]{12}\.\.\. does not match current\.json .*corrupted or was edited/);
  });

  test('weights from another save, even with current.json rewritten to match, are refused', () => {
    saveModel(join(dir, 'a'), sample());
    saveModel(join(dir, 'b'), { weights: { w: tf.tensor1d([1]) }, manifest: {} });
    const pointerPath = join(dir, 'a', 'current.json');
    const pointer = JSON.parse(readFileSync(pointerPath, 'utf8'));
    writeFileSync(modelFilePath(join(dir, 'a'), 'weights.bin'), readFileSync(modelFilePath(join(dir, 'b'), 'weights.bin')));
    pointer.files['weights.bin'] = JSON.parse(readFileSync(join(dir, 'b', 'current.json'), 'utf8')).files['weights.bin'];
    writeFileSync(pointerPath, JSON.stringify(pointer));
    expect(() => loadModel(join(dir, 'a'))).toThrow(/weights\.bin: does not match the length and sha256 recorded in model\.json/);
  });

  test('a model saved by an older radio-mtl (flat layout, model.json unverifiable) is refused', () => {
    saveModel(dir, sample());
    const version = modelFilePath(dir, '');
    for (const f of ['model.json', 'weights.bin']) writeFileSync(join(dir, f), readFileSync(join(version, f)));
    rmSync(join(dir, 'current.json'));
    expect(() => loadModel(dir)).toThrow(/flat model layout of an older radio-mtl .*'radio-mtl upgrade-model /);
  });

  test('a new save replaces the model and its sidecars together and leaves one version', () => {
    saveModel(dir, { ...sample(), sidecars: { 'metrics.json': '{"run": 1}', 'curve.json': '[]' } });
    const second = { weights: { w: tf.tensor1d([9]) }, manifest: { seed: 2 } };
    saveModel(dir, { ...second, sidecars: { 'metrics.json': '{"run": 2}' } });
    expect(loadModel(dir).manifest).toEqual({ seed: 2 });
    expect(readModelSidecar(dir, 'metrics.json')).toBe('{"run": 2}');
    // curve.json belonged to the first model only.
    expect(readModelSidecar(dir, 'curve.json')).toBeUndefined();
    expect(readdirSync(dir).sort()).toEqual(['current.json', 'v2']);
    expect(readdirSync(join(dir, 'v2')).sort()).toEqual(['metrics.json', 'model.json', 'weights.bin']);
  });

  test('an edited sidecar is refused', () => {
    saveModel(dir, { ...sample(), sidecars: { 'metrics.json': '{"accuracy": 0.5}' } });
    writeFileSync(modelFilePath(dir, 'metrics.json'), '{"accuracy": 0.9}');
    expect(() => readModelSidecar(dir, 'metrics.json')).toThrow(/metrics\.json: sha256 .* does not match current\.json/);
  });

  test('copyModel copies the current version with its sidecars', () => {
    saveModel(join(dir, 'a'), { ...sample(), sidecars: { 'curve.json': '[1]' } });
    copyModel(join(dir, 'a'), join(dir, 'b'));
    expect(loadModel(join(dir, 'b')).manifest).toEqual(sample().manifest);
    expect(readModelSidecar(join(dir, 'b'), 'curve.json')).toBe('[1]');
  });
});
