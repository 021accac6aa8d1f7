import { interleave, loadWarning, timeBlock, timeBlockAsync, type Clock, type Sample } from '../../src/bench/interleave.js';
import { kpiSpeedDoc, kpiSpeedMarkdown, type KpiArchMeasure, type KpiSpeedMeta } from '../../src/bench/kpi-speed.js';

/** A clock that advances only when told: op costs are exact. */
function fakeClock(): Clock & { spend(cpu: number, wall: number): void } {
  let cpu = 0;
  let wall = 0;
  return { cpuMs: () => cpu, wallMs: () => wall, spend: (c, w) => ((cpu += c), (wall += w)) };
}

describe('timeBlock', () => {
  it('returns the mean CPU and wall time of one call', () => {
    const clock = fakeClock();
    const costs = [3, 5, 7, 9];
    let i = 0;
    const s = timeBlock(() => clock.spend(costs[i], 2 * costs[i++]), 4, clock);
    expect(s).toEqual({ cpuMs: 6, wallMs: 12 });
  });

  it('awaits asynchronous operations one after the other', async () => {
    const clock = fakeClock();
    let running = 0;
    const s = await timeBlockAsync(
      async () => {
        expect(running++).toBe(0);
        await new Promise((r) => setImmediate(r));
        clock.spend(2, 4);
        running--;
      },
      3,
      clock,
    );
    expect(s).toEqual({ cpuMs: 2, wallMs: 4 });
  });

  it('refuses a non-integer repetition count', () => {
    expect(() => timeBlock(() => {}, 0)).toThrow('reps must be an integer >= 1, got 0');
  });
});

describe('interleave', () => {
  it('alternates the contenders block by block and keeps the minimum of each', async () => {
    const order: string[] = [];
    const a: Sample[] = [{ cpuMs: 5, wallMs: 9 }, { cpuMs: 3, wallMs: 12 }, { cpuMs: 4, wallMs: 7 }];
    const b: Sample[] = [{ cpuMs: 2, wallMs: 2 }, { cpuMs: 1, wallMs: 3 }, { cpuMs: 8, wallMs: 1 }];
    let ia = 0;
    let ib = 0;
    const best = await interleave(
      [
        { name: 'A', block: () => a[ia++] },
        { name: 'B', block: async () => b[ib++] },
      ],
      3,
      (name, round) => order.push(`${name}${round}`),
    );
    expect(order).toEqual(['A0', 'B0', 'A1', 'B1', 'A2', 'B2']);
    expect(best.A).toEqual({ cpuMs: 3, wallMs: 7, blocks: 3 });
    expect(best.B).toEqual({ cpuMs: 1, wallMs: 1, blocks: 3 });
  });

  it('refuses zero rounds', async () => {
    await expect(interleave([], 0)).rejects.toThrow('rounds must be an integer >= 1, got 0');
  });
});

describe('loadWarning', () => {
  it('warns above a 1-minute load of 1.5 only', () => {
    expect(loadWarning([1.4, 3, 3])).toBeNull();
    expect(loadWarning([2.25, 1, 1])).toMatch(/^load average 2.25 1.00 1.00 is above 1.5/);
  });
});

describe('kpiSpeedDoc', () => {
  const meta = (available: boolean): KpiSpeedMeta => ({
    hidden: 64,
    window: 35,
    context: 35,
    rounds: 3,
    reps: { step: 5, batch640: 2, batch1: 20 },
    tfjsBackend: 'wasm',
    servingEngine: 'onnxruntime',
    pytorch: available ? { available, version: '1.13', reason: null } : { available, version: null, reason: 'No module named torch' },
    machine: { cpu: 'test', cores: 2, node: 'v20' },
  });
  const best = (cpuMs: number, wallMs: number) => ({ cpuMs, wallMs, blocks: 3 });
  const measure = (torch: boolean): KpiArchMeasure => ({
    params: 100,
    macs: 1000,
    torchParams: torch ? 100 : null,
    tfjsStep: best(80, 90),
    servingBatch640: best(320, 400),
    servingBatch1: best(0.5, 0.75),
    torchStep: torch ? best(20, 25) : null,
    torchBatch640: torch ? best(64, 70) : null,
    torchBatch1: torch ? best(0.25, 0.3) : null,
    date: '2026-01-01T00:00:00.000Z',
    loadAverage: [0.5, 0.5, 0.5],
    warning: null,
  });

  it('has the fields the report promises for every architecture', () => {
    const doc = kpiSpeedDoc(meta(true), { stl: measure(true), ple: measure(true) });
    expect(doc.serving.engine).toBe('onnxruntime');
    for (const arch of ['stl', 'ple']) {
      expect(doc.tfjs[arch].stepCpuMs).toBe(80);
      expect(doc.torch[arch].stepCpuMs).toBe(20);
      // 640 windows in 320 CPU ms; 640 in 64 ms.
      expect((doc.serving as unknown as Record<string, Record<string, number>>)[arch]).toMatchObject({ inferenceWindowsPerSecondBatch640: 2000, latencyMsBatch1: 0.75 });
      expect(doc.torch[arch]).toMatchObject({ inferenceWindowsPerSecondBatch640: 10000, latencyMsBatch1: 0.3 });
    }
    const md = kpiSpeedMarkdown(doc);
    expect(md).toContain('| stl | 100 | 80.0 | 20.0 | 4.00 | 2000 | 10000 | 5.00 | 0.75 | 0.30 | 0.5 0.5 0.5 |');
    expect(md).not.toContain('Warning');
  });

  it('gives null PyTorch fields and says why when PyTorch is absent', () => {
    const doc = kpiSpeedDoc(meta(false), { stl: { ...measure(false), loadAverage: [3, 2, 1], warning: loadWarning([3, 2, 1]) } });
    expect(doc.torch.stl).toEqual({
      params: null,
      stepCpuMs: null,
      stepWallMs: null,
      inferenceWindowsPerSecondBatch640: null,
      inferenceWallMsBatch640: null,
      latencyMsBatch1: null,
      latencyCpuMsBatch1: null,
    });
    const md = kpiSpeedMarkdown(doc);
    expect(md).toContain('PyTorch not measured (its columns are null): No module named torch.');
    expect(md).toContain('**Warning:** load average 3.00 2.00 1.00 is above 1.5');
    expect(md).toContain('| stl | 100 | 80.0 | - | - | 2000 | - | - | 0.75 | - |');
  });

  it('compares wall time at more than one thread, and says why tfjs-wasm stays at one', () => {
    const doc = kpiSpeedDoc({ ...meta(true), threads: 2 }, { stl: measure(true) });
    // 640 windows in 400 and 70 wall ms.
    expect((doc.serving as unknown as Record<string, Record<string, number>>).stl.inferenceWindowsPerSecondBatch640).toBe(1600);
    expect(doc.torch.stl.inferenceWindowsPerSecondBatch640).toBeCloseTo(640_000 / 70, 6);
    const md = kpiSpeedMarkdown(doc);
    expect(md).toContain('(H = 64, window 35, context 35, 2 threads)');
    expect(md).toContain('| Model | Params | tfjs step (wall ms) | PyTorch step (wall ms) |');
    expect(md).toContain('| stl | 100 | 90.0 | 25.0 | 3.60 | 1600 | 9143 | 5.71 |');
    expect(md).toMatch(/PyTorch and ONNX Runtime at 2 threads; tfjs-wasm runs one thread: .*ERR_WORKER_PATH/);
  });
});
