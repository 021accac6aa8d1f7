/**
 * What `train allocation` and `evaluate allocation` print while they work: a short
 * line per test-curve point (with --verbose, one line per task as well), and progress
 * for the evaluation on the test splits and the sum-capacity optimum, which take
 * seconds to tens of seconds.
 */
import type { SplitArrays } from '../datasets/allocation/dataset-files.js';
import { evaluateNetwork, type TaskMetrics } from '../dnn/allocation/evaluate.js';
import type { AllocationNetwork } from '../dnn/allocation/network.js';
import { sumCapacityReferences, type ReferenceOptimum } from '../dnn/allocation/report.js';
import type { CurvePoint } from '../dnn/allocation/trainer.js';
import type { SumCapacityParams } from '../solvers/params.js';
import { createProgress, type Progress } from './progress.js';
import { median } from '../median.js';

const pct = (x: number, digits = 2) => `${(100 * x).toFixed(digits)}%`;
const signedPct = (x: number) => `${x >= 0 ? '+' : ''}${pct(x, 1)}`;

/** The task with the largest value, and the median of the values. */
function worstAndMedian<T>(items: T[], value: (t: T) => number): { worst: T; median: number } {
  const worst = items.reduce((a, b) => (value(b) >= value(a) ? b : a));
  return { worst, median: median(items.map(value)) };
}

const budgetExcess = (m: TaskMetrics) => (m.problem === 'sum-capacity' ? m.meanSumPowerW / m.budgetW - 1 : 0);

/**
 * One test-curve point in a line (fields explained in docs/allocation.md):
 * `step 600/10000 phase 1 loss -0.8099 | delay gap median 5.65%, worst 9.46% (N=8) | sum power vs budget worst +6.1% (N=8)`.
 */
export function curveLine(p: CurvePoint, totalSteps: number): string {
  const parts = [`step ${p.step}/${totalSteps} phase ${p.phase} ${p.loss === null ? 'before training' : `loss ${p.loss.toFixed(4)}`}`];
  const fdma = p.metrics.filter((m) => m.problem === 'fdma-delay');
  if (fdma.length) {
    const { worst, median } = worstAndMedian(fdma, (m) => m.medianRelGap);
    parts.push(`delay gap median ${pct(median)}, worst ${pct(worst.medianRelGap)} (N=${worst.n})`);
  }
  const sum = p.metrics.filter((m) => m.problem === 'sum-capacity');
  if (sum.length) {
    const { worst } = worstAndMedian(sum, budgetExcess);
    parts.push(`sum power vs budget worst ${signedPct(budgetExcess(worst))} (N=${worst.n})`);
  }
  return parts.join(' | ');
}

/** One line per task of a test-curve point (for --verbose). */
export function curveTaskLines(p: CurvePoint): string[] {
  return p.metrics.map((m) =>
    m.problem === 'fdma-delay'
      ? `  fdma-delay   N=${String(m.n).padEnd(2)}  median delay gap ${pct(m.medianRelGap)}`
      : `  sum-capacity N=${String(m.n).padEnd(2)}  capacity ${m.capacityBits.toFixed(3)} bits/s/Hz, sum power vs budget ${signedPct(budgetExcess(m))}`,
  );
}

/** evaluateNetwork with progress over the test rows; the network reads `inputs` (observed gains) when given. */
export function evaluateWithProgress(label: string, net: AllocationNetwork, splits: SplitArrays[], maxRows: number | undefined, quiet?: boolean, inputs?: Float64Array[]): TaskMetrics[] {
  let progress: Progress | undefined;
  const onRows = (rows: number, total: number) => {
    progress ??= createProgress(label, total, { quiet });
    progress.tick(rows);
  };
  const metrics = evaluateNetwork(net, splits, maxRows, onRows, inputs);
  progress?.stop();
  return metrics;
}

/** The exact sum-capacity optimum per N (Monte Carlo), with progress over the sizes. */
export function referencesWithProgress(params: SumCapacityParams, sizes: number[], samples: number, seed: number, quiet?: boolean): ReferenceOptimum[] {
  if (samples === 0 || sizes.length === 0) return [];
  const progress = createProgress(`sum-capacity optimum (${samples} samples per N)`, sizes.length, { quiet, intervalMs: 0 });
  const refs = sizes.map((n) => {
    const [ref] = sumCapacityReferences(params, [n], samples, seed);
    progress.tick(1, `N=${n} done`);
    return ref;
  });
  progress.stop();
  return refs;
}
