/** @jest-environment ./test/onnx/ort-environment.js */
import { join } from 'node:path';
import { interferenceSpeed, interferenceSpeedMarkdown } from '../../src/bench/solvers-interference.js';
import { makeTempDir } from '../helpers/tmp.js';
import { saveTinyInterferenceModel } from '../helpers/interference-model.js';

const tmp = makeTempDir('radio-mtl-bench-ic-');
afterAll(() => tmp.cleanup());

describe('interferenceSpeed', () => {
  it('measures WMMSE and the DNN at every trained K, one at a time and in bulk, and states the goals', async () => {
    const dir = join(tmp.dir, 'ic');
    await saveTinyInterferenceModel(dir, { sizes: [3, 5] });
    const s = await interferenceSpeed(dir, 0.05);
    expect(s.reason).toBeNull();
    expect(s.channel).toBe('gaussian');
    expect(s.rows.map((r) => r.k)).toEqual([3, 5]);
    for (const r of s.rows) for (const v of [r.wmmse1Us, r.dnn1Us, r.wmmseBulkUs, r.dnnBulkUs]) expect(v).toBeGreaterThan(0);
    for (const r of s.rows) expect(Object.keys(r.wallUs).sort()).toEqual(['dnn1', 'dnnBulk', 'wmmse1', 'wmmseBulk']);
    for (const r of s.rows) for (const v of Object.values(r.wallUs)) expect(v).toBeGreaterThan(0);
    // WMMSE's mean iteration count on the bulk instances: between 1 and its cap of 100.
    for (const r of s.rows) expect(r.wmmseIterations).toBeGreaterThanOrEqual(1);
    for (const r of s.rows) expect(r.wmmseIterations).toBeLessThanOrEqual(100);
    const md = interferenceSpeedMarkdown(s).join('\n');
    expect(md).toContain('| 3 |');
    expect(md).toContain('Wall time');
    expect(md).toContain('WMMSE iterations');
    expect(md).toMatch(/Goals \(issue 23\): in bulk the DNN >= 20x faster per instance than WMMSE at every K: smallest ratio \d+\.\dx, (met|NOT met); one instance faster than one WMMSE run: smallest ratio \d+\.\dx, (met|NOT met)\./);
  }, 120_000);

  it('a model that does not load: no rows, the reason in the report', async () => {
    const s = await interferenceSpeed(join(tmp.dir, 'missing'), 0.05);
    expect(s.rows).toEqual([]);
    expect(interferenceSpeedMarkdown(s).join('\n')).toContain(`Not measured: ${s.reason}`);
    expect(s.reason).toContain('missing');
  });
});
