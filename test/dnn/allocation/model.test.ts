import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initEngine } from '../../../src/dnn/engine.js';
import { ModelFileError, modelFilePath } from '../../../src/dnn/model-io.js';
import { buildManifest, DEFAULT_TRAIN_OPTIONS, loadAllocationNetwork, predictPowers, saveAllocationModel, trainAllocation } from '../../../src/dnn/allocation/index.js';
import { createAllocationPredictor } from '../../../src/dnn/allocation/predict.js';
import { data, small } from './fixture.js';

beforeAll(async () => {
  await initEngine();
});

describe('model save/load', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'alloc-model-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('save -> load gives identical outputs, and allocate() slices per N', async () => {
    const opts = { ...DEFAULT_TRAIN_OPTIONS, scheme: 'routed' as const, t1: 5, t2: 5, evalEvery: 0, network: small };
    const r = trainAllocation(data, opts);
    const before = predictPowers(r.net, [1, 3], [data.test[1].gains, data.test[3].gains], 20);
    saveAllocationModel(dir, r.net, buildManifest(r, opts, { source: data.source }, 'test'));
    const loaded = loadAllocationNetwork(dir);
    expect(loaded.manifest.scheme).toBe('routed');
    const model = await createAllocationPredictor(loaded.net, { engine: 'tfjs' });
    const f = await model.predictRows('fdma-delay', 5, data.test[1].gains.subarray(0, 20 * 5));
    const s = await model.predictRows('sum-capacity', 5, data.test[3].gains.subarray(0, 20 * 5));
    expect(Array.from(f)).toEqual(Array.from(before[0]));
    expect(Array.from(s)).toEqual(Array.from(before[1]));
    const rows = [Array.from(data.test[0].gains.subarray(0, 3)), Array.from(data.test[1].gains.subarray(0, 5))];
    const out = await model.allocate('fdma-delay', rows);
    expect(out.map((p) => p.length)).toEqual([3, 5]);
    await expect(model.allocate('fdma-delay', [[1, 2, 3, 4]])).rejects.toThrow(/N in \{3, 5\}/);
    await expect(model.allocate('sum-capacity', [[1, -2, 3]])).rejects.toThrow(/finite number > 0/);
    loaded.net.dispose();
    r.net.dispose();
  });

  test('a corrupted weights file is refused', async () => {
    const opts = { ...DEFAULT_TRAIN_OPTIONS, scheme: 'naive' as const, t1: 1, t2: 1, evalEvery: 0, network: small };
    const r = trainAllocation(data, opts);
    saveAllocationModel(dir, r.net, buildManifest(r, opts, { source: data.source }, 'test'));
    r.net.dispose();
    const p = modelFilePath(dir, 'weights.bin');
    const bytes = readFileSync(p);
    bytes[bytes.length - 1] ^= 1;
    writeFileSync(p, bytes);
    expect(() => loadAllocationNetwork(dir)).toThrow(ModelFileError);
  });
});
