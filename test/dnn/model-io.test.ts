import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initEngine, tf } from '../../src/dnn/engine.js';
import { loadModel, ModelFileError, saveModel, readModelJson } from '../../src/dnn/model-io.js';

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
    const p = join(dir, 'weights.bin');
    const bytes = readFileSync(p);
    bytes[3] ^= 0xff;
    writeFileSync(p, bytes);
    expect(() => loadModel(dir)).toThrow(ModelFileError);
    expect(() => loadModel(dir)).toThrow(/corrupted/);
  });

  test('a truncated weights file is refused', () => {
    saveModel(dir, sample());
    const p = join(dir, 'weights.bin');
    writeFileSync(p, readFileSync(p).subarray(0, 10));
    expect(() => loadModel(dir)).toThrow(/truncated/);
  });

  test('a partial model.json and a missing model are refused', () => {
    saveModel(dir, sample());
    const p = join(dir, 'model.json');
    writeFileSync(p, readFileSync(p, 'utf8').slice(0, 40));
    expect(() => loadModel(dir)).toThrow(/not valid JSON/);
    expect(() => loadModel(join(dir, 'nope'))).toThrow(/model.json is missing/);
  });
});
