import { allocationSpeedDoc, allocationSpeedMarkdown, type AllocationSpeedInput } from '../../src/bench/allocation-speed.js';

const best = (cpuMs: number) => ({ cpuMs, wallMs: cpuMs + 1, blocks: 3 });
const input = (torch: boolean): AllocationSpeedInput => ({
  rounds: 3,
  stepsPerBlock: 50,
  tfjsBackend: 'wasm',
  pytorch: torch ? { available: true, version: '1.13', reason: null } : { available: false, version: null, reason: 'No module named torch' },
  machine: { cpu: 'test', cores: 2, node: 'v20' },
  date: '2026-01-01T00:00:00.000Z',
  loadAverage: [0.25, 0.5, 0.5],
  warning: null,
  tfjs: { phase1: best(18), phase2: best(12) },
  torch: torch ? { phase1: best(12), phase2: best(4) } : null,
});

describe('allocationSpeedDoc', () => {
  it('reports both phases for tfjs and PyTorch with the ratio', () => {
    const doc = allocationSpeedDoc(input(true));
    expect(doc.tfjs).toEqual({ phase1: { stepCpuMs: 18, stepWallMs: 19 }, phase2: { stepCpuMs: 12, stepWallMs: 13 } });
    expect(doc.torch.phase2).toEqual({ stepCpuMs: 4, stepWallMs: 5 });
    expect(allocationSpeedMarkdown(doc)).toContain('| tfjs / PyTorch | 1.50x | 3.00x |');
  });

  it('gives null PyTorch fields and says why when PyTorch is absent', () => {
    const doc = allocationSpeedDoc(input(false));
    expect(doc.torch).toEqual({ phase1: { stepCpuMs: null, stepWallMs: null }, phase2: { stepCpuMs: null, stepWallMs: null } });
    const md = allocationSpeedMarkdown(doc);
    expect(md).toContain('PyTorch not measured (its fields are null): No module named torch.');
    expect(md).toContain('| PyTorch, 1 thread | - | - |');
  });

  it('compares wall time when PyTorch runs more than one thread, and says why tfjs-wasm stays at one', () => {
    const md = allocationSpeedMarkdown(allocationSpeedDoc({ ...input(true), threads: 2 }));
    expect(md).toContain('PyTorch at 2 threads, wall ms per step');
    expect(md).toContain('| radio-mtl, tfjs-wasm, 1 thread | 19.00 | 13.00 |');
    expect(md).toContain('| PyTorch, 2 threads | 13.00 | 5.00 |');
    expect(md).toContain('| tfjs / PyTorch | 1.46x | 2.60x |');
    expect(md).toMatch(/tfjs-wasm runs one thread: .*ERR_WORKER_PATH/);
  });
});
