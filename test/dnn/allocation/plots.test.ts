import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeCurveCharts, writeMaskChart } from '../../../src/dnn/allocation/plots.js';
import type { TaskMetrics } from '../../../src/dnn/allocation/evaluate.js';
import type { CurvePoint } from '../../../src/dnn/allocation/trainer.js';
import { makeTempDir } from '../../helpers/tmp.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const RESULTS = join(ROOT, 'results', 'allocation');

const fdma = (n: number, medianRelGap: number) => ({ problem: 'fdma-delay', n, medianRelGap }) as unknown as TaskMetrics;
const capacity = (n: number, capacityBits: number, meanSumPowerW: number) => ({ problem: 'sum-capacity', n, capacityBits, meanSumPowerW, budgetW: 2.5 }) as unknown as TaskMetrics;
const point = (step: number, metrics: TaskMetrics[]) => ({ step, phase: 1, loss: 0, metrics, lambdas: [] }) as CurvePoint;
const values = (dir: string, name: string) => JSON.parse(readFileSync(join(dir, `${name}.vl.json`), 'utf8')).data.values;

describe('allocation report charts', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  beforeAll(() => (tmp = makeTempDir()));
  afterAll(() => tmp.cleanup());

  it('draw one curve per scheme for each N, leaving out steps without the task', async () => {
    const curves = [
      { scheme: 'routed', curve: [point(0, [fdma(5, 0.2), capacity(5, 2.0, 2.6)]), point(500, [fdma(5, 0.01), capacity(5, 2.2, 2.5)])] },
      { scheme: 'naive', curve: [point(0, [fdma(5, 0.3)]), point(500, [fdma(5, 0.05), capacity(5, 2.1, 2.45)])] },
    ];
    await writeCurveCharts(tmp.dir, curves, [{ n: 5, capacityBits: 2.25, stdErrBits: 0, lambda: 0, samples: 1, seed: 1 }], [5]);
    expect(readdirSync(tmp.dir).filter((f) => f.endsWith('.svg')).sort()).toEqual(['curves-fdma-delay-n5.svg', 'curves-sum-capacity-n5.svg', 'curves-sum-capacity-violation-n5.svg']);
    expect(values(tmp.dir, 'curves-fdma-delay-n5')).toEqual([
      { series: 'routed', x: 0, y: 0.2 },
      { series: 'routed', x: 500, y: 0.01 },
      { series: 'naive', x: 0, y: 0.3 },
      { series: 'naive', x: 500, y: 0.05 },
    ]);
    expect(values(tmp.dir, 'curves-sum-capacity-violation-n5').map((v: { series: string; x: number; y: number }) => [v.series, v.x, +v.y.toFixed(6)])).toEqual([
      ['routed', 0, 0.04],
      ['routed', 500, 0],
      ['naive', 500, -0.02],
    ]);
  });

  it('the committed mask-overlap chart is the one tables.json draws', async () => {
    const { maskJaccard } = JSON.parse(readFileSync(join(RESULTS, 'tables.json'), 'utf8'));
    await writeMaskChart(tmp.dir, maskJaccard.labels, maskJaccard.matrix);
    for (const name of ['mask-jaccard.svg', 'mask-jaccard.vl.json']) expect(readFileSync(join(tmp.dir, name), 'utf8')).toBe(readFileSync(join(RESULTS, name), 'utf8'));
  });
});
