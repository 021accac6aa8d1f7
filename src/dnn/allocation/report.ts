/**
 * Turning task metrics into the paper's tables: Table II (fdma-delay) and Table III
 * (sum-capacity, with % of the exact optimum of `radio-mtl optimum`).
 */
import { sumCapacityReference } from '../../solvers/sum-capacity-reference.js';
import type { SumCapacityParams } from '../../solvers/params.js';
import type { FdmaMetrics, SumCapacityMetrics, TaskMetrics } from './evaluate.js';

export interface ReferenceOptimum {
  n: number;
  capacityBits: number;
  stdErrBits: number;
  lambda: number;
  samples: number;
  seed: number;
}

/** Exact P4 optimum per N (Monte Carlo, the same computation as `radio-mtl optimum`). */
export function sumCapacityReferences(params: SumCapacityParams, sizes: number[], samples = 1_000_000, seed = 1): ReferenceOptimum[] {
  return sizes.map((n) => {
    const r = sumCapacityReference(params, n, samples, seed);
    return { n, capacityBits: r.capacityBits, stdErrBits: r.stdErrBits, lambda: r.lambda, samples, seed };
  });
}

export interface SumCapacityRow extends SumCapacityMetrics {
  optimumBits?: number;
  /** 100 * capacity / optimum. */
  percentOfOptimum?: number;
}

export interface EvaluationSummary {
  fdmaDelay: FdmaMetrics[];
  sumCapacity: SumCapacityRow[];
}

export function summarise(metrics: TaskMetrics[], refs: ReferenceOptimum[] = []): EvaluationSummary {
  const fdmaDelay = metrics.filter((m): m is FdmaMetrics => m.problem === 'fdma-delay');
  const sumCapacity = metrics
    .filter((m): m is SumCapacityMetrics => m.problem === 'sum-capacity')
    .map((m) => {
      const ref = refs.find((r) => r.n === m.n);
      return ref ? { ...m, optimumBits: ref.capacityBits, percentOfOptimum: (100 * m.capacityBits) / ref.capacityBits } : { ...m };
    });
  return { fdmaDelay, sumCapacity };
}

const pct = (x: number, d = 2) => `${(100 * x).toFixed(d)}%`;

/** Plain-text tables for the terminal. */
export function formatSummary(s: EvaluationSummary): string {
  const lines: string[] = [];
  if (s.fdmaDelay.length) {
    lines.push('fdma-delay (Table II)');
    lines.push('   N   E[(f0-f0*)^2] s^2   median gap   mean gap   p95 gap   mean delay s   optimal s');
    for (const m of s.fdmaDelay) {
      lines.push(
        `${String(m.n).padStart(4)}   ${m.delayMse.toExponential(3).padStart(17)}   ${pct(m.medianRelGap).padStart(10)}   ${pct(m.meanRelGap).padStart(8)}   ${pct(m.p95RelGap).padStart(7)}   ${m.meanDelay.toFixed(4).padStart(12)}   ${m.meanOptimalDelay.toFixed(4).padStart(9)}`,
      );
    }
  }
  if (s.sumCapacity.length) {
    if (lines.length) lines.push('');
    lines.push('sum-capacity (Table III)');
    lines.push('   N   capacity bits   optimum bits   % of optimum   E[sum P] W   budget W   violation');
    for (const m of s.sumCapacity) {
      lines.push(
        `${String(m.n).padStart(4)}   ${m.capacityBits.toFixed(4).padStart(13)}   ${(m.optimumBits?.toFixed(4) ?? '-').padStart(12)}   ${(m.percentOfOptimum !== undefined ? `${m.percentOfOptimum.toFixed(2)}%` : '-').padStart(12)}   ${m.meanSumPowerW.toFixed(4).padStart(10)}   ${m.budgetW.toFixed(2).padStart(8)}   ${pct(m.violationFrac).padStart(9)}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}
