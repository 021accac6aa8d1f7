/**
 * The allocation report's charts: test curves per N (like the paper's Figs. 5-8) and the
 * routing-mask overlap, each written as SVG plus its Vega-Lite spec.
 */
import { join } from 'node:path';
import { heatmapSpec } from '../../charts/heatmap.js';
import { lineChartSpec, type LineSeries } from '../../charts/line.js';
import { writeChart } from '../../charts/render.js';
import type { FdmaMetrics, TaskMetrics } from './evaluate.js';
import type { ReferenceOptimum, SumCapacityRow } from './report.js';
import type { CurvePoint } from './trainer.js';

type Curves = Array<{ scheme: string; curve: CurvePoint[] }>;

/** One line per scheme: `value` of the task's metrics at each evaluated step. */
function series<M extends TaskMetrics>(curves: Curves, problem: M['problem'], n: number, value: (m: M) => number): LineSeries[] {
  return curves.map(({ scheme, curve }) => ({
    name: scheme,
    points: curve.map((p): [number, number] => {
      const m = p.metrics.find((x) => x.problem === problem && x.n === n) as M | undefined;
      return [p.step, m ? value(m) : NaN];
    }),
  }));
}

/** curves-fdma-delay-n<N>, curves-sum-capacity-n<N> and curves-sum-capacity-violation-n<N>. */
export async function writeCurveCharts(outDir: string, curves: Curves, refs: ReferenceOptimum[], sizes: readonly number[]): Promise<void> {
  for (const n of sizes) {
    await writeChart(join(outDir, `curves-fdma-delay-n${n}`), lineChartSpec({
      title: `fdma-delay, N = ${n}: test median relative delay gap`,
      xLabel: 'training step',
      yLabel: 'median (f0 - f0*) / f0*',
      logY: true,
      series: series<FdmaMetrics>(curves, 'fdma-delay', n, (m) => m.medianRelGap),
    }));
    const ref = refs.find((r) => r.n === n);
    await writeChart(join(outDir, `curves-sum-capacity-n${n}`), lineChartSpec({
      title: `sum-capacity, N = ${n}: test average sum capacity`,
      xLabel: 'training step',
      yLabel: 'bits/s/Hz',
      reference: ref ? { y: ref.capacityBits, label: 'optimum' } : undefined,
      series: series<SumCapacityRow>(curves, 'sum-capacity', n, (m) => m.capacityBits),
    }));
    await writeChart(join(outDir, `curves-sum-capacity-violation-n${n}`), lineChartSpec({
      title: `sum-capacity, N = ${n}: E[sum P] / budget - 1`,
      xLabel: 'training step',
      yLabel: 'relative budget excess',
      reference: { y: 0, label: 'budget' },
      series: series<SumCapacityRow>(curves, 'sum-capacity', n, (m) => m.meanSumPowerW / m.budgetW - 1),
    }));
  }
}

/** mask-jaccard: overlap of the routed model's masks between the 14 tasks. */
export async function writeMaskChart(outDir: string, labels: string[], jaccard: number[][]): Promise<void> {
  await writeChart(join(outDir, 'mask-jaccard'), heatmapSpec({ title: 'Routing-mask overlap (Jaccard) between the 14 tasks', rows: labels, columns: labels, matrix: jaccard, domain: [0, 1], format: '.2f' }));
}
