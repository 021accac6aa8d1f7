/**
 * The report of `npm run study:allocation`: README.md (one section per question, tables with
 * the seed spread), the Vega-Lite charts (.svg beside .vl.json) and study.json with every
 * number (design, references, plug-in baselines, every run's evaluations, missing runs).
 */
import { join } from 'node:path';
import { lineChartSpec } from '../../src/charts/line.js';
import { writeChart } from '../../src/charts/render.js';
import { withChannelKnowledge, type AllocationData } from '../../src/dnn/allocation/data.js';
import type { TaskMetrics } from '../../src/dnn/allocation/evaluate.js';
import { plugInMetrics } from '../../src/dnn/allocation/plug-in.js';
import { sumCapacityReferences, type ReferenceOptimum } from '../../src/dnn/allocation/report.js';
import { writeFileAtomic } from '../../src/io/atomic-write.js';
import { VERSION } from '../../src/version.js';
import { CONDITIONS, GAIN_SEED, POINTS, SEEDS, type Question } from './study-allocation-design.js';
import type { RunResult } from './study-allocation-runs.js';
import { mean, meanDelayExcess, medianGap, metricsRow, pct, pctOfFraction, percentOfOptimum, pointRow, table, violationPercent, winners, type Metric, type Row } from './study-allocation-tables.js';

export interface StudyReportInput {
  out: string;
  data: AllocationData;
  results: RunResult[];
  missing: string[];
  steps: number;
  refSamples: number;
  command: string;
}

const PLUG_IN = 'plug-in exact solver';
const CLEAN_DNN = 'DNN trained on exact gains';

interface Context {
  i: StudyReportInput;
  refs: ReferenceOptimum[];
  sizes: number[];
  plugIn: Record<string, TaskMetrics[]>;
}

/** The points of a question, with the baseline among them (the defaults are a point of every sweep). */
function questionRows(c: Context, question: Question, metric: Metric): Row[] {
  const points = POINTS.filter((p) => p.question === question || p.id === 'baseline');
  return points.map((p) => pointRow(p.id === 'baseline' ? `${p.label}` : p.label, c.i.results, p.id, 'exact', metric, c.refs));
}

async function chart(c: Context, name: string, title: string, yLabel: string, rows: Row[], logY = false): Promise<void> {
  const series = rows.map((r) => ({ name: r.name, points: c.sizes.map((n): [number, number] => [n, r.values.get(n)?.length ? mean(r.values.get(n)!) : NaN]) }));
  await writeChart(join(c.i.out, name), lineChartSpec({ title, xLabel: 'N (users)', yLabel, logY, series }));
}

/** The section of a sweep question: fdma-delay median gap and sum-capacity % of optimum per point. */
async function sweepSection(c: Context, question: Question, heading: string, extra = ''): Promise<string> {
  const gaps = questionRows(c, question, medianGap);
  const caps = questionRows(c, question, percentOfOptimum);
  const viol = questionRows(c, question, violationPercent);
  await chart(c, `${question}-fdma-delay`, `${heading}: fdma-delay median relative delay gap (mean of seeds)`, 'median (f0 - f0*) / f0*', gaps.map((r) => ({ ...r, values: new Map([...r.values].map(([n, v]) => [n, v.map((x) => Math.max(x, 1e-7))])) })), true);
  await chart(c, `${question}-sum-capacity`, `${heading}: sum capacity, % of the exact optimum (mean of seeds)`, '% of optimum', caps);
  return `## ${heading}\n\n${extra}${table('fdma-delay, median relative delay gap', c.sizes, gaps, pctOfFraction(3))}\n${table('sum-capacity, % of the exact optimum', c.sizes, caps, pct(2))}\n${table('sum-capacity, budget violation % (max(0, E[sum P] - budget))', c.sizes, viol, pct(2))}\nCharts: \`${question}-fdma-delay.svg\`, \`${question}-sum-capacity.svg\`.\n`;
}

/** The channel-knowledge section for one condition: plug-in, clean-trained DNN, DNN trained on the condition. */
async function channelSection(c: Context, condition: string, trainedOn: string): Promise<string> {
  const k = CONDITIONS[condition];
  const what = k.errorVariance > 0 ? `noisy gains, sigma_e^2 = ${k.errorVariance}` : `${100 * k.missingFraction}% of gains missing (imputed with the mean)`;
  const trainedPoint = POINTS.find((p) => p.id === trainedOn)!;
  const rows = (metric: Metric): Row[] => [
    metricsRow(PLUG_IN, c.plugIn[condition], metric, c.refs),
    pointRow(CLEAN_DNN, c.i.results, 'baseline', condition, metric, c.refs),
    pointRow(`DNN ${trainedPoint.label}`, c.i.results, trainedOn, condition, metric, c.refs),
  ];
  const caps = rows(percentOfOptimum);
  const delays = rows(meanDelayExcess);
  await chart(c, `channel-${condition}-sum-capacity`, `${what}: sum capacity on the true channel, % of the optimum with exact gains`, '% of optimum', caps);
  await chart(c, `channel-${condition}-fdma-delay`, `${what}: mean delay on the true channel over the optimal mean delay - 1`, 'E[f0] / E[f0*] - 1', delays);
  const sizeHead = `| | ${c.sizes.map((n) => `N=${n}`).join(' | ')} |\n|---|${c.sizes.map(() => '---:').join('|')}|\n`;
  const who = `${sizeHead}| more capacity: DNN ${trainedPoint.label} vs plug-in | ${winners(c.sizes, caps[2], caps[0], true, ['DNN', 'plug-in'])} |\n| lower mean delay: DNN ${trainedPoint.label} vs plug-in | ${winners(c.sizes, delays[2], delays[0], false, ['DNN', 'plug-in'])} |\n`;
  return `### ${what}\n\n${table('sum capacity on the true channel, % of the exact-gain optimum', c.sizes, caps, pct(2), [PLUG_IN])}\n${table('sum-capacity budget violation %', c.sizes, rows(violationPercent), pct(2), [PLUG_IN])}\n${table('fdma-delay: mean delay over the optimal mean delay - 1', c.sizes, delays, pctOfFraction(2), [PLUG_IN])}\n${table('fdma-delay: median relative delay gap', c.sizes, rows(medianGap), pctOfFraction(2), [PLUG_IN])}\nWho delivers more, per N (seeds in which the DNN is better than the deterministic plug-in):\n\n${who}\nCharts: \`channel-${condition}-sum-capacity.svg\`, \`channel-${condition}-fdma-delay.svg\`.\n`;
}

function header(c: Context): string {
  const { i } = c;
  const finished = i.results.length;
  const total = finished + i.missing.length;
  const minutes = i.results.reduce((s, r) => s + r.trainSeconds, 0) / 60;
  return `# The routed-MTL paper's open questions, measured

Made by \`${i.command}\` (${new Date().toISOString().slice(0, 10)}, radio-mtl ${VERSION}). The routed scheme on the
paper's 14 tasks (dataset seed ${i.data.seed ?? '?'}, ${i.data.train[0].count} train / ${i.data.test[0].count} test samples per task), ${i.steps} training steps per run
(t1 + t2), seeds ${SEEDS.join(', ')} for every point; every point differs from the defaults in one thing.
Every number is on the full test split and on the TRUE channel gains.
Cells: mean over seeds [lowest, highest seed]. Sum-capacity optimum: Monte Carlo with ${i.refSamples}
samples per N (seed 1). Imperfect channel knowledge: observed gains |h + e|^2, e ~ CN(0, sigma_e^2 x
mean gain), or a fraction of the gains missing and imputed with the mean gain; the network and the
plug-in solver read the same observations (seed ${GAIN_SEED}). ${finished} of ${total} runs finished
(training time ${minutes.toFixed(0)} min in all${finished ? `, ${(minutes / finished).toFixed(1)} min per run` : ''}).${i.missing.length ? `\n\n**Missing runs** (not in any table): ${i.missing.join(', ')}.` : ''}
What the numbers answer: docs/allocation.md, "Open questions of the paper".
`;
}

export async function writeStudyReport(i: StudyReportInput): Promise<void> {
  const sizes = [...new Set(i.data.tasks.map((t) => t.n))].sort((a, b) => a - b);
  const sumSizes = i.data.tasks.filter((t) => t.problem === 'sum-capacity').map((t) => t.n);
  const refs = i.refSamples > 0 ? sumCapacityReferences(i.data.params.sumCapacity, sumSizes, i.refSamples, 1) : [];
  const plugIn = Object.fromEntries(Object.entries(CONDITIONS).map(([id, k]) => [id, plugInMetrics(withChannelKnowledge(i.data, k, GAIN_SEED))]));
  const c: Context = { i, refs, sizes, plugIn };
  const density = (point: string) => i.results.filter((r) => r.point === point && r.maskDensity).flatMap((r) => r.maskDensity!);
  const densityLine = POINTS.filter((p) => p.question === 'gamma' || p.id === 'baseline')
    .map((p) => (density(p.id).length ? `${p.label}: ${Math.min(...density(p.id)).toFixed(2)}-${Math.max(...density(p.id)).toFixed(2)}` : `${p.label}: –`))
    .join('; ');
  const sections = [
    header(c),
    await sweepSection(c, 'weighting', 'Task weighting', 'Rows: equal (the paper, eq. 16; the defaults), uncertainty (Kendall et al. 2018), GradNorm (Chen et al. 2018).\n\n'),
    `## Imperfect channel knowledge\n\n${await channelSection(c, 'noise-0.1', 'trained-noise-0.1')}\n${await channelSection(c, 'missing-0.1', 'trained-missing-0.1')}\n${await channelSection(c, 'noise-0.3', 'trained-noise-0.1')}\n${await channelSection(c, 'missing-0.3', 'trained-missing-0.1')}`,
    await sweepSection(c, 'gamma', 'Router activation gamma', `Routing-mask density per task after binarisation (range over tasks and seeds): ${densityLine}.\n\n`),
    await sweepSection(c, 'split', 'Phase-1 / phase-2 split (same total steps)'),
  ];
  writeFileAtomic(join(i.out, 'README.md'), sections.join('\n'));
  const doc = { generatedBy: 'scripts/experiments/study-allocation.ts', command: i.command, toolVersion: VERSION, steps: i.steps, seeds: SEEDS, gainSeed: GAIN_SEED, design: POINTS, conditions: CONDITIONS, references: refs, plugIn, runs: i.results, missing: i.missing };
  writeFileAtomic(join(i.out, 'study.json'), `${JSON.stringify(doc, null, 1)}\n`);
}
