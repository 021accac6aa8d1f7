/**
 * The numbers of `npm run study:allocation`'s report: a metric of one point under one
 * condition, per N, over the seeds that finished (mean and spread), and the Markdown tables
 * built from them.
 */
import type { FdmaMetrics, SumCapacityMetrics, TaskMetrics } from '../../src/dnn/allocation/evaluate.js';
import type { ReferenceOptimum } from '../../src/dnn/allocation/report.js';
import { SEEDS } from './study-allocation-design.js';
import type { RunResult } from './study-allocation-runs.js';

/** A metric of one task's metrics (undefined when the task is of the other problem). */
export type Metric = (m: TaskMetrics, ref?: ReferenceOptimum) => number | undefined;

export const medianGap: Metric = (m) => (m.problem === 'fdma-delay' ? m.medianRelGap : undefined);
/** E[f0] / E[f0*] - 1: the mean delay obtained against the mean optimal delay. */
export const meanDelayExcess: Metric = (m) => (m.problem === 'fdma-delay' ? (m as FdmaMetrics).meanDelay / m.meanOptimalDelay - 1 : undefined);
export const percentOfOptimum: Metric = (m, ref) => (m.problem === 'sum-capacity' && ref ? (100 * m.capacityBits) / ref.capacityBits : undefined);
export const violationPercent: Metric = (m) => (m.problem === 'sum-capacity' ? 100 * (m as SumCapacityMetrics).violationFrac : undefined);

/** A row of the report: a name and, per N, the values over seeds (one value for a deterministic baseline). */
export interface Row {
  name: string;
  values: Map<number, number[]>;
}

/** The row of `point` under `condition`: `metric` at each N over the finished seeds. */
export function pointRow(name: string, results: RunResult[], point: string, condition: string, metric: Metric, refs: ReferenceOptimum[]): Row {
  const values = new Map<number, number[]>();
  for (const r of results.filter((x) => x.point === point)) {
    for (const m of r.evaluations[condition] ?? []) {
      const v = metric(m, refs.find((x) => x.n === m.n));
      if (v !== undefined) values.set(m.n, [...(values.get(m.n) ?? []), v]);
    }
  }
  return { name, values };
}

/** A row of one deterministic set of metrics (the plug-in solver). */
export function metricsRow(name: string, metrics: TaskMetrics[], metric: Metric, refs: ReferenceOptimum[]): Row {
  const values = new Map<number, number[]>();
  for (const m of metrics) {
    const v = metric(m, refs.find((x) => x.n === m.n));
    if (v !== undefined) values.set(m.n, [v]);
  }
  return { name, values };
}

export const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;

/** "mean [min, max]" (the seed spread), or the value alone for one; fewer seeds than the design are named. */
export function spread(v: number[] | undefined, format: (x: number) => string, seeds: number = SEEDS.length): string {
  if (!v || v.length === 0) return '–';
  if (v.length === 1 && seeds === 1) return format(v[0]);
  const text = v.length === 1 ? format(v[0]) : `${format(mean(v))} [${format(Math.min(...v))}, ${format(Math.max(...v))}]`;
  return v.length < seeds ? `${text} (${v.length}/${seeds} seeds)` : text;
}

/** A Markdown table: one row per Row, one column per N. `deterministic` rows have one value and no spread. */
export function table(title: string, sizes: readonly number[], rows: Row[], format: (x: number) => string, deterministic: string[] = []): string {
  const head = `| ${title} | ${sizes.map((n) => `N=${n}`).join(' | ')} |\n|---|${sizes.map(() => '---:').join('|')}|\n`;
  return head + rows.map((r) => `| ${r.name} | ${sizes.map((n) => spread(r.values.get(n), format, deterministic.includes(r.name) ? 1 : SEEDS.length)).join(' | ')} |`).join('\n') + '\n';
}

/**
 * Per N, which of two rows delivers more (`higherIsBetter`) in how many seeds: "DNN 3/3",
 * "plug-in 3/3", or "split 2/1" (against a deterministic `b`).
 */
export function winners(sizes: readonly number[], a: Row, b: Row, higherIsBetter: boolean, names: [string, string]): string {
  return sizes
    .map((n) => {
      const av = a.values.get(n) ?? [];
      const bv = b.values.get(n)?.[0];
      if (!av.length || bv === undefined) return '–';
      const wins = av.filter((x) => (higherIsBetter ? x > bv : x < bv)).length;
      if (wins === av.length) return `${names[0]} ${wins}/${av.length}`;
      if (wins === 0) return `${names[1]} ${av.length}/${av.length}`;
      return `mixed (${names[0]} ${wins}/${av.length})`;
    })
    .join(' | ');
}

export const pct = (digits: number) => (x: number) => `${x.toFixed(digits)}%`;
export const pctOfFraction = (digits: number) => (x: number) => `${(100 * x).toFixed(digits)}%`;
