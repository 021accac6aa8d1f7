/**
 * `radio-mtl kpi detect --csv FILE`: one cell's CSV in, interference episodes out, through the
 * detection service behind POST /v1/kpi/detect (src/detection/detect.ts). Prints the episodes as a table (or JSON with --json);
 * with --out DIR writes DIR/report.html (self-contained: opens without a network) and
 * DIR/detection.json. When the file has labels and times, the event metrics against its
 * labelled episodes (runs of lab_inf merged when less than 2 s apart) come with them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { parse } from 'csv-parse/sync';
import { detectInterference } from '../../detection/detect.js';
import { labelledEpisodes } from '../../detection/episodes.js';
import { eventMetrics, type EventMetrics } from '../../detection/event-metrics.js';
import { reportHtml } from '../../detection/report/report-html.js';
import type { ReportData } from '../../detection/report/report-spec.js';
import { seriesFromRecords, type CsvSeries } from '../../detection/report/series-records.js';
import { writeFileAtomic } from '../../io/atomic-write.js';
import { InputError } from '../../input-error.js';
import { writingTo } from '../errors.js';
import { readJsonInput } from '../read-input.js';
import { KpiInputError } from '../../dnn/kpi/service.js';
import { openKpiModel } from './kpi.js';

/** The KPI model shipped with the package, found from this file rather than the working directory. */
const SHIPPED_KPI_MODEL = fileURLToPath(new URL('../../../models/kpi-ple', import.meta.url));

interface DetectOptions {
  csv: string;
  model?: string;
  profile?: string;
  out?: string;
  json?: boolean;
  k?: string;
  pOn?: string;
  m?: string;
  pOff?: string;
  maxGapS?: string;
}

/** The alerting options given, as the API's `alerting` object. */
const ALERTING_OPTIONS = [
  ['k', '--k'],
  ['pOn', '--p-on'],
  ['m', '--m'],
  ['pOff', '--p-off'],
  ['maxGapS', '--max-gap-s'],
] as const;

function readSeries(path: string): CsvSeries {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new InputError('--csv', `cannot read '${path}' (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  try {
    return seriesFromRecords(parse(text, { columns: true, skip_empty_lines: true, trim: true }) as Array<Record<string, string>>);
  } catch (err) {
    throw new InputError('--csv', `'${path}': ${(err as Error).message}`);
  }
}

/** Bad input found by detection, under the CLI option that carried it. */
function asOption(err: unknown): never {
  if (!(err instanceof InputError)) throw err;
  const alerting = ALERTING_OPTIONS.find(([key]) => err.field === `alerting/${key}`);
  const option = alerting ? alerting[1] : err instanceof KpiInputError && err.kind === 'profile' ? '--profile' : '--csv';
  throw new InputError(option, err.message);
}

function episodesTable(data: ReportData): string {
  const header = ['#', 'first row', 'last row', 'start (UTC)', 'duration s', 'peak P', 'mean P'];
  const lines = data.episodes.map((e, i) => [String(i + 1), String(e.start), String(e.end), e.startTime ?? '-', e.durationS?.toFixed(1) ?? '-', e.peakProbability.toFixed(3), e.meanProbability.toFixed(3)]);
  const widths = header.map((h, j) => Math.max(h.length, ...lines.map((l) => l[j].length)));
  return [header, ...lines].map((l) => l.map((c, j) => c.padStart(widths[j])).join('  ')).join('\n');
}

function metricsLine(m: EventMetrics): string {
  const pct = (v: number | null) => (v === null ? '-' : `${(100 * v).toFixed(1)}%`);
  const num = (v: number | null, d = 1) => (v === null ? '-' : v.toFixed(d));
  return `labelled episodes ${m.labelledEpisodes}, caught ${m.caught} (${pct(m.episodeRecall)}); false alerts ${m.falseAlerts} (${num(m.falseAlertsPerHour)}/h of ${num(m.cleanSeconds / 60)} min clean); delay median ${num(m.medianDelayS)} s, p90 ${num(m.p90DelayS)} s; range precision ${pct(m.rangePrecision)}, recall ${pct(m.rangeRecall)}`;
}

async function runDetect(opts: DetectOptions): Promise<void> {
  const series = readSeries(opts.csv);
  const profile = opts.profile === undefined ? undefined : readJsonInput(opts.profile, '--profile');
  const alerting = Object.fromEntries(ALERTING_OPTIONS.flatMap(([key, option]) => (opts[key] === undefined ? [] : [[key, numberOption(option, opts[key] as string)]])));
  const dir = opts.model ?? SHIPPED_KPI_MODEL;
  if (opts.model === undefined) process.stderr.write(`radio-mtl: --model not given: using the shipped model ${dir}\n`);
  const model = await openKpiModel(dir);
  const out = await detectInterference(model, series.rows, { alerting, timesMs: series.timesMs, profile }).catch(asOption);
  const labelled = series.labels ? labelledEpisodes(series.labels as number[], series.timesMs) : undefined;
  const data: ReportData = {
    title: opts.csv.split(/[\\/]/).pop() as string,
    model: out.model,
    windowLength: out.windowLength,
    alerting: out.alerting,
    rows: series.rows,
    ...(series.timesMs && { timesMs: series.timesMs }),
    probability: out.probability,
    forecast: out.forecast,
    episodes: out.episodes,
    ...(labelled && { labelled }),
  };
  const metrics = labelled && series.timesMs ? eventMetrics(labelled, out.episodes, series.timesMs) : undefined;
  const doc = { file: data.title, model: out.model, alerting: out.alerting, rows: series.rows.length, refusedWindows: out.refused, episodes: out.episodes, ...(labelled && { labelledEpisodes: labelled }), ...(metrics && { metrics }) };
  if (opts.out) {
    const outDir = opts.out;
    writingTo('--out', outDir, () => {
      writeFileAtomic(join(outDir, 'report.html'), reportHtml(data));
      writeFileAtomic(join(outDir, 'detection.json'), `${JSON.stringify(doc, null, 2)}\n`);
    });
  }
  if (opts.json) process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
  else {
    process.stdout.write(`${data.title}: ${out.episodes.length} alert episode(s) in ${series.rows.length} rows (model ${out.model})\n${episodesTable(data)}\n`);
    if (metrics) process.stdout.write(`${metricsLine(metrics)}\n`);
    if (opts.out) process.stdout.write(`report: ${join(opts.out, 'report.html')}\n`);
  }
}

function numberOption(option: string, text: string): number {
  const v = Number(text);
  if (text.trim() === '' || !Number.isFinite(v)) throw new InputError(option, `must be a number, got '${text}'`);
  return v;
}

/** Adds `detect` to the `kpi` command (registered before this). */
export function registerKpiDetect(program: Command): void {
  const kpi = program.commands.find((c) => c.name() === 'kpi');
  if (!kpi) throw new Error('the kpi command must be registered before kpi detect');
  kpi
    .command('detect')
    .description("Interference episodes in one cell's CSV (as POST /v1/kpi/detect), a table and an HTML report")
    .requiredOption('--csv <file>', 'the cell\'s rows: RSRP, RSRQ, SINR columns (missing: empty, -, nan), optional Time (ISO-8601, UTC without a zone, or epoch ms) and lab_inf (0/1)')
    .option('--model <dir>', 'KPI model directory (default: the shipped models/kpi-ple)')
    .option('--profile <file>', "the cell's profile from `radio-mtl kpi calibrate` or POST /v1/kpi/calibrate")
    .option('--out <dir>', 'write report.html (self-contained) and detection.json here')
    .option('--json', 'print the result as one JSON document')
    .option('--k <n>', 'alerting: consecutive windows at or above --p-on that raise an alert')
    .option('--p-on <p>', 'alerting: raising probability')
    .option('--m <n>', 'alerting: consecutive windows below --p-off that clear an alert')
    .option('--p-off <p>', 'alerting: clearing probability (<= --p-on)')
    .option('--max-gap-s <s>', 'alerting: a gap between times longer than this ends an alert, seconds')
    .action((opts: DetectOptions) => runDetect(opts));
}
