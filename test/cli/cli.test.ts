import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/run-cli.js';
import { makeTempDir } from '../helpers/tmp.js';
import { readDataset } from '../../src/datasets/dataset-files.js';
import { solveFdmaDelayExact } from '../../src/solvers/fdma-delay-exact.js';
import { FDMA_DELAY_DEFAULTS } from '../../src/solvers/params.js';

describe('radio-mtl CLI', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  beforeEach(() => (tmp = makeTempDir()));
  afterEach(() => tmp.cleanup());

  const input = (doc: unknown) => {
    const file = join(tmp.dir, 'in.json');
    writeFileSync(file, typeof doc === 'string' ? doc : JSON.stringify(doc));
    return file;
  };

  it('solve prints exact powers, objective and violation as JSON', async () => {
    const r = await runCli(['solve', '--problem', 'fdma-delay', '--input', input({ gains: [[1, 2, 3], [1e-5, 1, 5]] })]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.solver).toBe('exact');
    expect(out.power[1]).toEqual(Array.from(solveFdmaDelayExact(FDMA_DELAY_DEFAULTS, [1e-5, 1, 5])));
    expect(out.objective).toHaveLength(2);
    expect(out.constraintViolation).toEqual([0, 0]);
    expect(out.elapsedMs).toBeGreaterThanOrEqual(0);
  });

  it('solve with ipm agrees with exact and writes --output', async () => {
    const out = join(tmp.dir, 'out.json');
    const r = await runCli(['solve', '--problem', 'fdma-delay', '--solver', 'ipm', '--input', input({ gains: [[0.3, 2]] }), '--output', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    const doc = JSON.parse((await import('node:fs')).readFileSync(out, 'utf8'));
    const exact = solveFdmaDelayExact(FDMA_DELAY_DEFAULTS, [0.3, 2]);
    expect(doc.power[0][0]).toBeCloseTo(exact[0], 8);
  });

  it('solve sum-capacity uses the given lambda and stays in the box', async () => {
    const r = await runCli(['solve', '--problem', 'sum-capacity', '--lambda', '0.2', '--input', input({ gains: [[3, 1, 0.5]] })]);
    const out = JSON.parse(r.stdout);
    expect(out.lambda).toBe(0.2);
    // c = 1/(0.2 ln 2) = 7.213: P1 = 1 (clipped), then P2 = c - (1 + 3)/1 = 3.21 -> 1, P3 = c - 5/0.5 < 0.
    expect(out.power[0]).toEqual([1, 1, 0]);
  });

  it.each([
    [{ gains: [[1, 2], [3]] }, /gains\[1\]: has 1 gains but gains\[0\] has 2/],
    [{ gains: [[1, -2]] }, /gains\[0\]\[1\]: must be >= 0/],
    [{ gains: [[1, 'x']] }, /gains\[0\]\[1\]: must be a finite number/],
    [{ gains: [] }, /gains: must hold at least one gain vector/],
    [{ gains: [[0, 1]] }, /gains\[0\]\[0\]: must be > 0 for fdma-delay/],
    ['{"gains": [[1e999, 1]]}', /gains\[0\]\[0\]: must be a finite number/],
    ['{"gains": [[1, 2]', /not valid JSON/],
    [{ power: [[1]] }, /must hold a JSON object with a "gains" array/],
  ])('solve rejects bad input %j with exit 2', async (doc, message) => {
    const r = await runCli(['solve', '--problem', 'fdma-delay', '--input', input(doc)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
  });

  it('solve rejects a missing file, an unknown problem and ipm for sum-capacity', async () => {
    expect((await runCli(['solve', '--problem', 'fdma-delay', '--input', join(tmp.dir, 'nope.json')])).stderr).toMatch(/cannot read .*ENOENT/);
    const bad = await runCli(['solve', '--problem', 'delay', '--input', input({ gains: [[1]] })]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--problem: must be one of fdma-delay, sum-capacity/);
    const ipm = await runCli(['solve', '--problem', 'sum-capacity', '--solver', 'ipm', '--input', input({ gains: [[1]] })]);
    expect(ipm.code).toBe(2);
    expect(ipm.stderr).toMatch(/solves fdma-delay only/);
  });

  it('dataset writes a readable dataset for each problem', async () => {
    const r = await runCli(['dataset', '--n', '4', '--train', '20', '--test', '5', '--seed', '9', '--out', tmp.dir]);
    expect(r.code).toBe(0);
    expect(readDataset(tmp.dir, 'fdma-delay').manifest.seed).toBe(9);
    expect(readDataset(tmp.dir, 'sum-capacity').tasks[0].test.count).toBe(5);
    const bad = await runCli(['dataset', '--n', '4,0', '--out', tmp.dir]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--n: must be a comma-separated list of integers >= 1/);
  });

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

  it('solve --solver dnn uses the shipped routed model and names unsupported sizes', async () => {
    const gains = [[1, 2, 3, 0.5, 0.1], [0.3, 1, 2, 5, 0.01]];
    const r = await runCli(['solve', '--problem', 'fdma-delay', '--solver', 'dnn', '--model', 'models/allocation-routed', '--input', input({ gains })]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.model.scheme).toBe('routed');
    const exact = JSON.parse((await runCli(['solve', '--problem', 'fdma-delay', '--input', input({ gains })])).stdout);
    out.objective.forEach((delay: number, i: number) => {
      expect(delay).toBeGreaterThanOrEqual(exact.objective[i] * (1 - 1e-9));
      expect(delay).toBeLessThan(exact.objective[i] * 1.05);
    });
    const bad = await runCli(['solve', '--problem', 'fdma-delay', '--solver', 'dnn', '--model', 'models/allocation-routed', '--input', input({ gains: [[1, 2, 3]] })]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/serves fdma-delay for N in \{5, 8, 10, 12, 15, 18, 20\}, got a row of N = 3/);
  });

  it('solve --solver dnn without --model uses the shipped model, found from any working directory', async () => {
    const gains = [[1.2, 0.3, 2.5, 0.7, 1.9]];
    const file = input({ gains });
    const cwd = process.cwd();
    process.chdir(tmp.dir);
    let r;
    try {
      r = await runCli(['solve', '--problem', 'fdma-delay', '--solver', 'dnn', '--input', file]);
    } finally {
      process.chdir(cwd);
    }
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.model.dir).toBe(join(cwd, 'models', 'allocation-routed'));
    expect(out.power[0]).toHaveLength(5);
    expect(r.stderr).toBe(`radio-mtl: --model not given: using the shipped model ${out.model.dir}\n`);
  });

  it('the README solve --solver dnn example runs', async () => {
    const readme = readFileSync('README.md', 'utf8');
    const echo = /echo '(\{"gains": .*\})' > gains\.json/.exec(readme);
    const example = /\.\/bin\/radio-mtl (solve --problem fdma-delay --solver dnn .*--input gains\.json)/.exec(readme);
    expect(echo && example).toBeTruthy();
    const file = input((echo as RegExpExecArray)[1]);
    const args = (example as RegExpExecArray)[1].split(/\s+/).map((a) => (a === 'gains.json' ? file : a));
    const r = await runCli(args);
    expect(r.stderr).not.toMatch(/\berror\b/i);
    expect(r.code).toBe(0);
  });
});
