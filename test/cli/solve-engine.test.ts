/**
 * `radio-mtl solve --solver dnn` as a user runs it (bin/radio-mtl on the built dist/): the
 * shipped model on ONNX Runtime, the engine named in the output, the same powers as tfjs.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initEngine } from '../../src/dnn/engine.js';
import { loadAllocationNetwork } from '../../src/dnn/allocation/model.js';
import { createAllocationPredictor } from '../../src/dnn/allocation/predict.js';

const gains = [
  [0.8, 1.7, 0.3, 2.4, 1.1],
  [1.2, 0.4, 0.9, 0.6, 2.2],
];

test('solve --solver dnn runs the shipped model on onnxruntime, within 1e-5 W of tfjs', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'solve-engine-'));
  try {
    writeFileSync(join(dir, 'gains.json'), JSON.stringify({ gains }));
    const r = spawnSync('bin/radio-mtl', ['solve', '--problem', 'fdma-delay', '--solver', 'dnn', '--model', 'models/allocation-routed', '--input', join(dir, 'gains.json')], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout) as { power: number[][]; model: { engine: string; engineFallback?: string } };
    expect(out.model).toMatchObject({ engine: 'onnxruntime' });
    expect(out.model.engineFallback).toBeUndefined();
    await initEngine();
    const { net } = loadAllocationNetwork('models/allocation-routed');
    const tfjs = await (await createAllocationPredictor(net, { engine: 'tfjs' })).allocate('fdma-delay', gains);
    net.dispose();
    for (let r0 = 0; r0 < gains.length; r0++) for (let i = 0; i < 5; i++) expect(Math.abs(out.power[r0][i] - tfjs[r0][i])).toBeLessThanOrEqual(1e-5);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);
