/**
 * Turning task metrics into the paper's tables: Table II (fdma-delay) and Table III
 * (sum-capacity, with % of the exact optimum of `radio-mtl optimum`), for the terminal
 * and as the Markdown report of `npm run reproduce:allocation`.
 */
import { sumCapacityReference } from '../../solvers/sum-capacity-reference.js';
import { PAPER_SIZES, type Problem, type SumCapacityParams } from '../../solvers/params.js';
import { VERSION } from '../../version.js';
import type { FdmaMetrics, SumCapacityMetrics, TaskMetrics } from './evaluate.js';
import type { AllocationManifest } from './model.js';
import type { Scheme } from './tasks.js';

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

/** The paper's numbers (Tables II and III), for comparison. */
const PAPER_TABLE_II: Record<Scheme, number[]> = {
  'single-task': [0.0404, 0.0243, 0.0218, 0.0203, 0.0193, 0.0176, 0.0152],
  routed: [0.0425, 0.0351, 0.0353, 0.0287, 0.0247, 0.0203, 0.0171],
  naive: [0.2405, 0.1865, 0.138, 0.0965, 0.0689, 0.051, 0.0428],
  'zero-padding': [0.2216, 0.1025, 0.0659, 0.0434, 0.0264, 0.0183, 0.0178],
};
const PAPER_TABLE_III: Record<Scheme, number[]> = {
  'single-task': [2.236, 2.797, 3.1053, 3.263, 3.515, 3.754, 3.883],
  routed: [2.233, 2.783, 3.047, 3.244, 3.5086, 3.7309, 3.863],
  naive: [2.075, 2.5064, 2.7618, 2.9531, 3.2135, 3.4437, 3.5729],
  'zero-padding': [0.9166, 1.4712, 1.842, 2.2043, 2.76, 3.3107, 3.6823],
};
const LABEL: Record<Scheme, string> = { 'single-task': 'single-task DNN', routed: 'routed multi-task DNN', naive: 'naive multi-task DNN', 'zero-padding': 'zero-padding' };

/** A trained scheme's metrics.json sidecar: what `train allocation` reports and saves. */
export type AllocationRunReport = {
  scheme: Scheme;
  model: string;
  backend: string;
  steps: number;
  trainSeconds: number;
  stepMs: number;
  lambdas: number[];
  maskDensity?: number[];
  references: ReferenceOptimum[];
} & EvaluationSummary;

/** The sidecar as the report reads it (runs saved before it recorded `model` have none). */
export type SchemeMetrics = Omit<AllocationRunReport, 'model'>;

/** The routed model's routing masks: Jaccard overlap and density per task. */
export interface MaskOverlap {
  tasks: Array<{ problem: Problem; n: number }>;
  labels: string[];
  matrix: number[][];
  density: number[];
}

export interface AllocationReportInput {
  /** The command line that made the report, e.g. 'npm run reproduce:allocation -- --t1 5000'. */
  command: string;
  date: string;
  t1: number;
  t2: number;
  seed: number;
  refSamples: number;
  /** Trained schemes, in report order. */
  runs: Array<{ scheme: Scheme; metrics: SchemeMetrics; manifest: AllocationManifest }>;
  masks?: MaskOverlap;
  /** Where the routed model is committed, relative to the repository. */
  modelDir?: string;
}

const f2 = (x: number, d = 2) => x.toFixed(d);
const mean = (v: number[]) => v.reduce((x, y) => x + y, 0) / v.length;

/** The report being written, with its helpers: one section function per part of the report. */
type ReportWriter = ReturnType<typeof reportWriter>;

function reportWriter(input: AllocationReportInput) {
  const metrics = new Map(input.runs.map((r) => [r.scheme, r.metrics]));
  const sizes = [...PAPER_SIZES];
  const L: string[] = [];
  const row = (cells: (string | number)[]) => L.push(`| ${cells.join(' | ')} |`);
  return {
    input,
    L,
    sizes,
    order: input.runs.map((r) => r.scheme),
    metrics,
    first: input.runs[0].manifest,
    refs: input.runs[0].metrics.references,
    row,
    header: (title: string) => {
      row([title, ...sizes.map((n) => `N = ${n}`)]);
      row(['---', ...sizes.map(() => '---:')]);
    },
    fd: (s: Scheme, n: number) => metrics.get(s)!.fdmaDelay.find((m) => m.n === n),
    sc: (s: Scheme, n: number) => metrics.get(s)!.sumCapacity.find((m) => m.n === n),
  };
}

function introSection({ input, L, first, refs }: ReportWriter): void {
  L.push('# Routed multi-task DNN for power allocation: reproduction of Tables II and III');
  L.push('');
  L.push(`Generated by \`${input.command}\` (scripts/experiments/reproduce-allocation.ts), radio-mtl ${VERSION}, ${input.date}.`);
  L.push(`Budget: t1 = ${input.t1}, t2 = ${input.t2} (routed: phase 1 + phase 2; other schemes: t1 + t2 steps of one phase), batch ${first.training.batchPerTask} per task, Adam lr ${first.training.learningRate}, seed ${input.seed}.`);
  L.push(`Training options: dual step ${first.training.dualStep}, fdma-delay loss '${first.training.fdmaLoss}' + ${first.training.delayWeight} x relative delay gap, learning-rate decay from ${first.training.lrDecayStart} of the final phase to ${first.training.lrDecayFloor} x lr, inputs sorted: ${first.network.sortInputs ? 'yes' : 'no'}, rDNN hidden normalised: ${first.network.routerNorm ? 'yes' : 'no'}.`);
  L.push(`Data: 30000 train / 10000 test samples per task, seed ${first.data.seed}; manifest sha256 fdma-delay ${first.data.source['fdma-delay']?.slice(0, 12)}..., sum-capacity ${first.data.source['sum-capacity']?.slice(0, 12)}.... Backend: ${first.backend}.`);
  L.push(`Metrics on the full test split (10000 samples per task). Sum-capacity optimum: \`radio-mtl optimum --problem sum-capacity --samples ${refs[0]?.samples ?? input.refSamples} --seed ${refs[0]?.seed ?? 1}\` (per-user budget 0.5 N W).`);
  L.push('See docs/allocation.md for the design, the deviations from the paper and how to run each step.');
  L.push('');
}

function costSection({ input, L, row }: ReportWriter): void {
  L.push('## Training cost');
  L.push('');
  row(['scheme', 'parameters (inference)', 'rDNN parameters (training)', 'steps', 'train time', 'ms / step', 'backend']);
  row(['---', '---:', '---:', '---:', '---:', '---:', '---']);
  for (const { scheme, metrics: m, manifest: man } of input.runs) {
    row([LABEL[scheme], man.parameterCount, man.routerParameterCount, m.steps, `${(m.trainSeconds / 60).toFixed(1)} min`, f2(m.stepMs), m.backend]);
  }
  L.push('');
  L.push('Step time is wall time of one step of all 14 tasks (14 x batch), measured while the machine was shared with other jobs (two training processes at once, `nice -n 5`).');
  L.push('');
}

function fdmaDelaySection({ L, row, header, order, sizes, fd }: ReportWriter): void {
  L.push('## Table II: fdma-delay (supervised)');
  L.push('');
  L.push('E[(f0(y) - f0(x*))^2], s^2 (the paper\'s metric; dominated by deep fades):');
  L.push('');
  header('scheme');
  for (const s of order) row([LABEL[s], ...sizes.map((n) => fd(s, n)?.delayMse.toExponential(2) ?? '-')]);
  for (const s of order) row([`paper: ${LABEL[s]}`, ...PAPER_TABLE_II[s].map((v) => String(v))]);
  L.push('');
  L.push('Median relative delay gap (f0(y) - f0(x*)) / f0(x*):');
  L.push('');
  header('scheme');
  for (const s of order) row([LABEL[s], ...sizes.map((n) => (fd(s, n) ? pct(fd(s, n)!.medianRelGap, 3) : '-'))]);
  L.push('');
  L.push('Mean relative delay gap:');
  L.push('');
  header('scheme');
  for (const s of order) row([LABEL[s], ...sizes.map((n) => (fd(s, n) ? pct(fd(s, n)!.meanRelGap, 3) : '-'))]);
  L.push('');
}

function sumCapacitySection({ L, row, header, order, sizes, sc, refs }: ReportWriter): void {
  L.push('## Table III: sum-capacity (unsupervised, primal-dual)');
  L.push('');
  L.push('Average sum capacity, bits/s/Hz:');
  L.push('');
  header('scheme');
  row(['exact optimum', ...sizes.map((n) => refs.find((r) => r.n === n)?.capacityBits.toFixed(4) ?? '-')]);
  for (const s of order) row([LABEL[s], ...sizes.map((n) => sc(s, n)?.capacityBits.toFixed(4) ?? '-')]);
  for (const s of order) row([`paper: ${LABEL[s]}`, ...PAPER_TABLE_III[s].map((v) => String(v))]);
  L.push('');
  L.push('% of the exact optimum:');
  L.push('');
  header('scheme');
  for (const s of order) row([LABEL[s], ...sizes.map((n) => (sc(s, n)?.percentOfOptimum !== undefined ? `${sc(s, n)!.percentOfOptimum!.toFixed(2)}%` : '-'))]);
  L.push('');
  L.push('Average constraint violation max(0, E[sum P] - budget) as % of the budget (E[sum P] / budget - 1 in brackets):');
  L.push('');
  header('scheme');
  for (const s of order) row([LABEL[s], ...sizes.map((n) => (sc(s, n) ? `${pct(sc(s, n)!.violationFrac)} (${pct(sc(s, n)!.meanSumPowerW / sc(s, n)!.budgetW - 1, 1)})` : '-'))]);
  L.push('');
}

function goalsSection({ L, row, header, sizes, metrics, fd, sc }: ReportWriter): void {
  L.push('## Goals');
  L.push('');
  if (metrics.has('routed')) {
    const capOk = sizes.map((n) => (sc('routed', n)?.percentOfOptimum ?? 0) >= 99);
    const violOk = sizes.map((n) => (sc('routed', n)?.violationFrac ?? 1) <= 0.01);
    const medOk = sizes.map((n) => (fd('routed', n)?.medianRelGap ?? 1) <= 0.02);
    header('goal');
    row(['sum-capacity routed >= 99% of optimum', ...capOk.map((ok, i) => `${ok ? 'yes' : 'NO'} (${sc('routed', sizes[i])?.percentOfOptimum?.toFixed(2)}%)`)]);
    row(['sum-capacity routed violation <= 1% of budget', ...violOk.map((ok, i) => `${ok ? 'yes' : 'NO'} (${pct(sc('routed', sizes[i])?.violationFrac ?? NaN)})`)]);
    row(['fdma-delay routed median gap <= 2%', ...medOk.map((ok, i) => `${ok ? 'yes' : 'NO'} (${pct(fd('routed', sizes[i])?.medianRelGap ?? NaN, 3)})`)]);
    if (metrics.has('single-task')) {
      row([
        'fdma-delay routed median gap / single-task (<= 1.1)',
        ...sizes.map((n) => {
          const r = fd('routed', n)!.medianRelGap / fd('single-task', n)!.medianRelGap;
          return `${r <= 1.1 ? 'yes' : 'NO'} (${r.toFixed(2)}x)`;
        }),
      ]);
      row(['fdma-delay routed median gap - single-task (points)', ...sizes.map((n) => `${(100 * (fd('routed', n)!.medianRelGap - fd('single-task', n)!.medianRelGap)).toFixed(3)}`)]);
    }
    for (const s of ['naive', 'zero-padding'] as const) {
      if (!metrics.has(s)) continue;
      row([`fdma-delay ${s} median gap / routed`, ...sizes.map((n) => `${(fd(s, n)!.medianRelGap / fd('routed', n)!.medianRelGap).toFixed(2)}x`)]);
      row([`sum-capacity ${s} - routed (bits)`, ...sizes.map((n) => `${(sc(s, n)!.capacityBits - sc('routed', n)!.capacityBits).toFixed(4)}`)]);
    }
    L.push('');
  }
}

function curvesSection({ L, sizes }: ReportWriter): void {
  L.push('## Test curves');
  L.push('');
  L.push('Evaluated every 500 steps on the first 2000 test samples of each task (phase 1 of the routed scheme with its soft masks; its phase 2 starts from a re-initialised bDNN at step t1).');
  L.push('');
  for (const n of sizes) L.push(`- N = ${n}: [fdma-delay](curves-fdma-delay-n${n}.svg), [sum capacity](curves-sum-capacity-n${n}.svg), [budget excess](curves-sum-capacity-violation-n${n}.svg)`);
  L.push('');
  L.push('![fdma-delay N = 5](curves-fdma-delay-n5.svg) ![sum-capacity N = 5](curves-sum-capacity-n5.svg)');
  L.push('');
  L.push('![fdma-delay N = 20](curves-fdma-delay-n20.svg) ![sum-capacity N = 20](curves-sum-capacity-n20.svg)');
  L.push('');
}

function masksAndModelSection({ input, L }: ReportWriter): void {
  if (input.masks) {
    const { tasks, matrix: jac, density } = input.masks;
    const pairs = (keep: (a: Problem, b: Problem) => boolean) => tasks.flatMap((a, i) => tasks.flatMap((b, j) => (i < j && keep(a.problem, b.problem) ? [jac[i][j]] : [])));
    const within = (p: Problem) => mean(pairs((a, b) => a === p && b === p));
    L.push('## Routing masks');
    L.push('');
    L.push(`Mask density (fraction of hidden weights a task uses): ${tasks.map((t, k) => `${t.problem === 'fdma-delay' ? 'D' : 'C'}${t.n} ${density[k].toFixed(2)}`).join(', ')}.`);
    L.push(`Mean Jaccard overlap: within fdma-delay ${within('fdma-delay').toFixed(3)}, within sum-capacity ${within('sum-capacity').toFixed(3)}, across problems ${mean(pairs((a, b) => a !== b)).toFixed(3)}.`);
    L.push('');
    L.push('![mask overlap](mask-jaccard.svg)');
    L.push('');
  }
  if (input.modelDir) {
    L.push(`The routed model is committed as \`${input.modelDir}/\` (current.json + v<k>/ with model.json, weights.bin, metrics.json, curve.json): \`./bin/radio-mtl solve --problem sum-capacity --solver dnn --model ${input.modelDir} --input FILE\`.`);
    L.push('');
  }
}

/** results/allocation/README.md: the measured Tables II and III, goals, curves and masks. */
export function allocationReportMarkdown(input: AllocationReportInput): string {
  const w = reportWriter(input);
  for (const section of [introSection, costSection, fdmaDelaySection, sumCapacitySection, goalsSection, curvesSection, masksAndModelSection]) section(w);
  return `${w.L.join('\n')}\n`;
}
