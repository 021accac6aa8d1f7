import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { runCli } from '../../helpers/run-cli.js';
import { makeTempDir } from '../../helpers/tmp.js';
import { solveFdmaDelayExact } from '../../../src/solvers/fdma-delay-exact.js';
import { FDMA_DELAY_DEFAULTS } from '../../../src/solvers/params.js';
import { initEngine } from '../../../src/dnn/engine.js';
import { loadAllocationNetwork } from '../../../src/dnn/allocation/model.js';
import { createAllocationPredictor } from '../../../src/dnn/allocation/predict.js';

describe('radio-mtl solve', () => {
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
    expect(bad.stderr).toMatch(/gains\[0\]: N = 3 is not served by model 'allocation-routed' for fdma-delay; served sizes: 5, 8, 10, 12, 15, 18, 20/);
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

/**
 * `radio-mtl solve --solver dnn` as a user runs it (bin/radio-mtl on the built dist/): the
 * shipped model on ONNX Runtime, the engine named in the output, the same powers as tfjs.
 */
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
