import { runCli } from '../../helpers/run-cli.js';

describe('radio-mtl bench', () => {
  it('bench solvers --json reports timings and exact/IPM agreement', async () => {
    const r = await runCli(['bench', 'solvers', '--n', '4', '--scale', '0.01', '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.results).toHaveLength(1);
    expect(doc.results[0].n).toBe(4);
    expect(doc.results[0].exactMedianUs).toBeGreaterThan(0);
    expect(doc.results[0].ipmConverged).toBe(doc.results[0].ipmInstances);
    expect(doc.results[0].maxRelativeObjectiveGap).toBeLessThan(1e-9);
    expect(doc.dataset.instancesPerSecond).toBeGreaterThan(0);
    // Both problems; the shipped DNN serves N = 5-20, so N = 4 has no DNN timing.
    expect(doc.methods.map((m: { problem: string; n: number }) => `${m.problem}:${m.n}`)).toEqual(['fdma-delay:4', 'sum-capacity:4']);
    expect(doc.methods[1]).toMatchObject({ ipmUs: null, dnnBatch1Us: null, dnnBatch4096Us: null });
    expect(doc.methods[1].exactUs).toBeGreaterThan(0);
  });
});
