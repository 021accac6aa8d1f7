/** @jest-environment ./test/onnx/ort-environment.js */
import { dnnUs, fastest, fastestSummary, loadServing, methodsMarkdown, SHIPPED_ALLOCATION_MODEL, type MethodRow } from '../../src/bench/solvers-methods.js';

const row = (over: Partial<MethodRow>): MethodRow => ({ problem: 'fdma-delay', n: 10, exactUs: 3, ipmUs: 50, dnnBatch1Us: 400, dnnBatch4096Us: 2, ...over });

describe('fastest', () => {
  it('compares the DNN at batch 1 one at a time and at batch 4096 in bulk', () => {
    expect(fastest(row({}))).toEqual({ single: 'exact', bulk: 'DNN' });
    expect(fastest(row({ dnnBatch1Us: 1 }))).toEqual({ single: 'DNN', bulk: 'DNN' });
    expect(fastest(row({ exactUs: 100, dnnBatch4096Us: 60 }))).toEqual({ single: 'IPM', bulk: 'IPM' });
  });

  it('skips the methods that do not apply', () => {
    expect(fastest(row({ ipmUs: null, dnnBatch1Us: null, dnnBatch4096Us: null, exactUs: 1000 }))).toEqual({ single: 'exact', bulk: 'exact' });
  });
});

describe('methodsMarkdown', () => {
  it('tabulates every row and ends with the generated summary', () => {
    const rows = [row({ n: 5 }), row({ n: 20, dnnBatch4096Us: 4 }), row({ problem: 'sum-capacity', n: 50, ipmUs: null, dnnBatch1Us: null, dnnBatch4096Us: null })];
    const md = methodsMarkdown(rows, { engine: 'onnxruntime', model: 'm', reason: null }).join('\n');
    expect(md).toContain('| fdma-delay | 5 | 3.00 | 50.0 | 400.0 | 2.00 | exact | DNN |');
    expect(md).toContain('| sum-capacity | 50 | 3.00 | - | - | - | exact | exact |');
    expect(fastestSummary(rows)).toBe(
      'fdma-delay: fastest one instance at a time: exact; in bulk: DNN (N = 5), exact (N = 20). ' +
        'Per instance at N = 5-20: exact 3.00-3.00 us, DNN 400.0-400.0 us at batch 1 and 2.00-4.00 us at batch 4096. ' +
        'sum-capacity: fastest one instance at a time: exact; in bulk: exact.',
    );
  });
});

describe('the DNN columns', () => {
  it('say why they are empty when the model cannot be loaded', async () => {
    const { serving, info } = await loadServing('/nonexistent/model');
    expect(serving).toBeNull();
    expect(info.reason).toContain('/nonexistent/model');
    expect(await dnnUs(serving, 'fdma-delay', 5, 0.01)).toEqual({ dnnBatch1Us: null, dnnBatch4096Us: null });
  });

  it('time the shipped model where it serves the size, and only there', async () => {
    const { serving, info } = await loadServing(SHIPPED_ALLOCATION_MODEL);
    expect(info.engine).toBe('onnxruntime');
    const served = await dnnUs(serving, 'sum-capacity', 5, 0.01);
    expect(served.dnnBatch1Us).toBeGreaterThan(0);
    expect(served.dnnBatch4096Us).toBeGreaterThan(0);
    expect(await dnnUs(serving, 'sum-capacity', 50, 0.01)).toEqual({ dnnBatch1Us: null, dnnBatch4096Us: null });
    await serving?.dispose();
  });
});
