/** The interference reproduction's report: Markdown tables of mean sum rates and a chart per channel model. */
import { join } from 'node:path';
import { lineChartSpec, type LineSeries } from '../../charts/line.js';
import { writeChart } from '../../charts/render.js';
import type { ComparisonRow, ModelRow } from './evaluate.js';

type Results = Record<string, ComparisonRow[]>;
type Trained = Record<string, Record<string, { t1: number; t2: number; batchPerTask: number; hiddenWidths: number[]; heads?: number; headSoftness?: number; trainSeconds: number; backend: string }>>;

const pct = (x: number, ref: number) => `${((100 * x) / ref).toFixed(1)}%`;
const isRow = (m: ModelRow | { error: string } | undefined): m is ModelRow => !!m && 'rate' in m;

function modelCell(row: ComparisonRow, scheme: string): string {
  const m = row.models[scheme];
  if (!isRow(m)) return m ? 'not servable' : '—';
  const via = m.servedBy === row.k ? '' : ` (task K=${m.servedBy})`;
  return `${m.rate.toFixed(3)}: ${pct(m.rate, row.baselines.wmmse)} / ${pct(m.rate, row.baselines.bestOf10)}; + WMMSE ${pct(m.refinedRate, row.baselines.wmmse)}${via}`;
}

function channelTable(rows: ComparisonRow[], schemes: string[]): string {
  const head = `| K | WMMSE (full-power start) | best of 10 starts | full power | random power | on/off (K ≤ 10) | ${schemes.join(' | ')} |`;
  const rule = `|---:|---:|---:|---:|---:|---:|${schemes.map(() => '---:|').join('')}`;
  const lines = rows.map((r) => {
    const b = r.baselines;
    const onOff = b.onOff === undefined ? '—' : `${b.onOff.toFixed(3)} (${pct(b.onOff, b.wmmse)})`;
    return `| ${r.k} | ${b.wmmse.toFixed(3)} | ${b.bestOf10.toFixed(3)} (${pct(b.bestOf10, b.wmmse)}) | ${pct(b.fullPower, b.wmmse)} | ${pct(b.randomPower, b.wmmse)} | ${onOff} | ${schemes.map((s) => modelCell(r, s)).join(' | ')} |`;
  });
  return [head, rule, ...lines].join('\n');
}

/** Power range of every model answer, over every K: the box constraint, measured. */
function powerRange(rows: ComparisonRow[]): string {
  const answers = rows.flatMap((r) => Object.values(r.models).filter(isRow));
  if (!answers.length) return 'no model answers';
  return `[${Math.min(...answers.map((a) => a.minPower))}, ${Math.max(...answers.map((a) => a.maxPower))}] W`;
}

export function interferenceReport(results: Results, trained: Trained, args: readonly string[]): string {
  const parts = [
    '# The K-user interference channel: routed multi-task DNN against WMMSE',
    '',
    `Produced by \`npm run reproduce:interference -- ${args.join(' ')}\` (src/dnn/interference/, scripts/experiments/reproduce-interference.ts).`,
    'Mean sum rate in bits/s/Hz over fresh seeded channels per K (never drawn by training). Model cells:',
    'mean sum rate: % of WMMSE from full power / % of the best of 10 random WMMSE starts; "+ WMMSE": WMMSE started',
    "from the model's powers instead of full power (a refinement, % of WMMSE; not the model alone).",
    'K = 7 was not trained (served by the task of the next larger trained K); K = 25 exceeds the 20 x 20 input grid.',
  ];
  for (const [channel, rows] of Object.entries(results)) {
    const schemes = Object.keys(trained[channel] ?? {});
    parts.push('', `## ${channel} channel`, '', channelTable(rows, schemes), '', `Every power the models answered lies in ${powerRange(rows)}.`, '');
    for (const [s, t] of Object.entries(trained[channel] ?? {})) {
      const steps = s === 'routed' ? `${t.t1} (phase 1) + ${t.t2} (phase 2) steps` : `${t.t1 + t.t2} steps`;
      const heads = (t.heads ?? 1) > 1 ? `${t.heads} output heads (the best by sum rate served; soft maximum at ${t.headSoftness} bits per pair)` : 'one output head';
      parts.push(`- ${s}: hidden ${t.hiddenWidths.join('-')}, ${heads}, ${steps} of ${t.batchPerTask} fresh channels per task, ${(t.trainSeconds / 60).toFixed(1)} min (${t.backend}, shared machine)`);
    }
    parts.push('', `![% of WMMSE, ${channel}](percent-of-wmmse-${channel}.svg)`);
  }
  return `${parts.join('\n')}\n`;
}

export async function writeInterferenceCharts(dir: string, results: Results): Promise<void> {
  for (const [channel, rows] of Object.entries(results)) {
    const served = rows.filter((r) => r.baselines.wmmse > 0);
    const series: LineSeries[] = [
      { name: 'best of 10 WMMSE starts', points: served.map((r) => [r.k, (100 * r.baselines.bestOf10) / r.baselines.wmmse]) },
      { name: 'full power', points: served.map((r) => [r.k, (100 * r.baselines.fullPower) / r.baselines.wmmse]) },
    ];
    const schemes = [...new Set(rows.flatMap((r) => Object.keys(r.models)))];
    for (const s of schemes) {
      series.push({ name: s, points: served.flatMap((r) => (isRow(r.models[s]) ? [[r.k, (100 * (r.models[s] as ModelRow).rate) / r.baselines.wmmse] as [number, number]] : [])) });
    }
    const spec = lineChartSpec({ title: `Mean sum rate, % of WMMSE (${channel} channel)`, xLabel: 'K (pairs)', yLabel: '% of WMMSE from full power', series, reference: { y: 100, label: 'WMMSE' } });
    await writeChart(join(dir, `percent-of-wmmse-${channel}`), spec);
  }
}
