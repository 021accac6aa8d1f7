import { runCli } from '../../helpers/run-cli.js';

describe('radio-mtl optimum', () => {
  it('optimum --json prints lambda*, capacity and mean power meeting the budget', async () => {
    const r = await runCli(['optimum', '--n', '5,8', '--samples', '20000', '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.results.map((x: { n: number }) => x.n)).toEqual([5, 8]);
    for (const x of doc.results) {
      expect(x.meanPower).toBeCloseTo(0.5 * x.n, 9);
      expect(x.lambda).toBeGreaterThan(0);
      expect(x.stdErrBits).toBeGreaterThan(0);
    }
    expect(doc.results[1].capacityBits).toBeGreaterThan(doc.results[0].capacityBits);
    const total = JSON.parse((await runCli(['optimum', '--n', '5', '--samples', '20000', '--budget', 'total', '--json'])).stdout);
    expect(total.results[0].meanPower).toBeCloseTo(0.5, 9);
    expect(total.results[0].capacityBits).toBeLessThan(doc.results[0].capacityBits);
  });

  it('reports progress on stderr, one line per N as it is done (the default 1e6 samples take seconds per N)', async () => {
    const r = await runCli(['optimum', '--n', '5,8', '--samples', '20000', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).results).toHaveLength(2);
    expect(r.stderr).toMatch(/^optimum: N = 5: [\d.]+ bits \([\d.]+ s\)\noptimum: N = 8: [\d.]+ bits \([\d.]+ s\)\n/);
  });
});
