import { join } from 'node:path';
import { runCli } from '../helpers/run-cli.js';
import { makeTempDir } from '../helpers/tmp.js';
import { initEngine } from '../../src/dnn/engine.js';
import { generateAllocationData } from '../../src/dnn/allocation/data.js';
import { DEFAULT_TRAIN_OPTIONS, trainAllocation, type CurvePoint } from '../../src/dnn/allocation/trainer.js';
import type { TaskMetrics } from '../../src/dnn/allocation/evaluate.js';
import { generateDataset } from '../../src/datasets/allocation/generate.js';
import { FDMA_DELAY_DEFAULTS, PAPER_SIZES, PROBLEMS, SUM_CAPACITY_DEFAULTS } from '../../src/solvers/params.js';
import { curveLine } from '../../src/cli/allocation-progress.js';

/** Progress lines as written to a log (not a terminal). */
async function runLogged(args: string[]) {
  const tty = Object.getOwnPropertyDescriptor(process.stderr, 'isTTY');
  Object.defineProperty(process.stderr, 'isTTY', { value: false, configurable: true });
  try {
    return await runCli(args);
  } finally {
    if (tty) Object.defineProperty(process.stderr, 'isTTY', tty);
    else delete (process.stderr as { isTTY?: boolean }).isTTY;
  }
}

function writeDataset(dir: string, sizes: number[], counts: { train: number; test: number }): void {
  for (const problem of PROBLEMS) {
    generateDataset(dir, { problem, sizes, counts, seed: 1, params: problem === 'fdma-delay' ? FDMA_DELAY_DEFAULTS : SUM_CAPACITY_DEFAULTS });
  }
}

describe('train / evaluate allocation progress', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  beforeAll(async () => {
    await initEngine();
    tmp = makeTempDir();
  });
  afterAll(() => tmp.cleanup());

  it('the test-curve point before phase 2 trains has no loss (null), not NaN', () => {
    const tasks = [
      { problem: 'fdma-delay' as const, n: 5 },
      { problem: 'sum-capacity' as const, n: 5 },
    ];
    const curve: CurvePoint[] = [];
    const r = trainAllocation(generateAllocationData(tasks, { train: 64, test: 16 }, 3), {
      ...DEFAULT_TRAIN_OPTIONS,
      scheme: 'routed',
      t1: 2,
      t2: 2,
      evalEvery: 1,
      evalRows: 16,
      onEvent: (e) => {
        if (e.type === 'eval') curve.push(e.point);
      },
    });
    r.net.dispose();
    expect(curve.map((p) => [p.step, p.phase])).toEqual([[1, 1], [2, 1], [2, 2], [3, 2], [4, 2]]);
    expect(curve[2].loss).toBeNull();
    for (const p of [...curve.slice(0, 2), ...curve.slice(3)]) expect(Number.isFinite(p.loss)).toBe(true);
    expect(curveLine(curve[2], 4)).toMatch(/^step 2\/4 phase 2 before training \| delay gap median/);
    for (const p of curve) expect(curveLine(p, 4)).not.toMatch(/NaN/);
  });

  it('a test-curve line over the 14 tasks is short: phase, step, loss, median and worst task', () => {
    const metrics = PAPER_SIZES.flatMap((n, i): TaskMetrics[] => [
      { problem: 'fdma-delay', n, samples: 10, delayMse: 0, medianRelGap: 0.01 * (i + 1), meanRelGap: 0, p95RelGap: 0, meanDelay: 1, meanOptimalDelay: 1, powerMse: 0, maxViolationW: 0 },
      { problem: 'sum-capacity', n, samples: 10, capacityBits: 2, meanSumPowerW: 0.5 * n * (1 + 0.01 * (i - 3)), budgetW: 0.5 * n, violationW: 0, violationFrac: 0, maxBoxViolationW: 0 },
    ]);
    const line = curveLine({ step: 600, phase: 1, loss: -0.81, metrics, lambdas: [] }, 10000);
    expect(line).toBe('step 600/10000 phase 1 loss -0.8100 | delay gap median 4.00%, worst 7.00% (N=20) | sum power vs budget worst +3.0% (N=20)');
  });

  it('train allocation logs short curve lines and shows progress after training', async () => {
    const data = join(tmp.dir, 'small');
    writeDataset(data, [5], { train: 64, test: 16 });
    const r = await runLogged(['train', 'allocation', '--scheme', 'routed', '--data', data, '--out', join(tmp.dir, 'm'), '--t1', '2', '--t2', '2', '--eval-every', '2', '--eval-rows', '16', '--ref-samples', '2000']);
    expect(r.code).toBe(0);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toContain('train allocation: reading and checking the dataset ' + data);
    expect(lines.filter((l) => l.startsWith('step '))).toHaveLength(3);
    expect(r.stderr).toMatch(/^step 2\/4 phase 2 before training \|/m);
    expect(r.stderr).not.toMatch(/NaN/);
    expect(r.stderr).toMatch(/^test splits: 16\/16 \(100%\)/m);
    expect(r.stderr).toMatch(/^sum-capacity optimum \(2000 samples per N\): 1\/1 \(100%\) .* N=5 done$/m);
    for (const line of lines) expect(line.length).toBeLessThan(160);
  });

  it('evaluate allocation shows progress while it computes the sum-capacity optimum', async () => {
    const data = join(tmp.dir, 'paper-sizes');
    writeDataset(data, [...PAPER_SIZES], { train: 1, test: 8 });
    const r = await runLogged(['evaluate', 'allocation', '--model', 'models/allocation-routed', '--data', data, '--ref-samples', '2000', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).sumCapacity).toHaveLength(7);
    const optimum = r.stderr.split('\n').filter((l) => l.startsWith('sum-capacity optimum (2000 samples per N): '));
    expect(optimum.map((l) => / N=(\d+) done$/.exec(l)?.[1])).toEqual(PAPER_SIZES.map(String));
  });
});
