/**
 * `radio-mtl kpi calibrate` and `radio-mtl kpi predict`: the KPI model's calibration and
 * prediction from files, through the KPI service as POST /v1/kpi/calibrate and
 * /v1/kpi/predict (domain checks, gaps, scaling, profiles), so a profile made here works with
 * the server and the other way round. Files may hold any number of windows (read in chunks;
 * --ndjson streams them).
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { parse } from 'csv-parse/sync';
import { KPI_COLUMNS } from '../../measurements/domain.js';
import { modelFamily } from '../../dnn/manifest.js';
import { readModelJson } from '../../dnn/model-io.js';
import { loadKpiServable, type KpiServable } from '../../dnn/kpi/servable.js';
import { calibrateProfile, KpiInputError, predictWindows } from '../../dnn/kpi/service.js';
import { underOption } from '../errors.js';
import { readChunks, withSink } from '../instances.js';
import { InputError } from '../../input-error.js';
import { readJsonInput } from '../read-input.js';
import { resolveEngine } from '../../settings.js';

/** The KPI model in `dir`, loaded and verified as the server loads it. */
export async function openKpiModel(dir: string): Promise<KpiServable> {
  const manifest = underOption('--model', () => readModelJson<Record<string, unknown>>(dir).json.manifest);
  if (modelFamily(manifest) !== 'kpi') throw new InputError('--model', `${dir} is not a KPI model directory`);
  const engine = resolveEngine(undefined);
  return underOption('--model', () => loadKpiServable(dir, basename(dir), { engine }));
}

/** Runs a service call; its bad input is reported under the option that held it. */
async function asCommand<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof KpiInputError) throw err.under(err.kind === 'profile' ? '--profile' : '--input');
    throw err;
  }
}

const MISSING = new Set(['', '-', 'nan', 'NaN', 'null']);

/** Rows [rsrp, rsrq, sinr] of a CSV with RSRP, RSRQ and SINR columns (others ignored); missing values null. */
function readCsvRows(path: string): Array<Array<number | null>> {
  let records: Record<string, string>[];
  try {
    records = parse(readFileSync(path, 'utf8'), { columns: true, skip_empty_lines: true, trim: true }) as Record<string, string>[];
  } catch (err) {
    throw new InputError('--input', `cannot read '${path}' as CSV (${(err as Error).message})`);
  }
  const missing = KPI_COLUMNS.filter((c) => records.length > 0 && !(c in records[0]));
  if (records.length === 0 || missing.length > 0) throw new InputError('--input', `'${path}' needs a header row with the columns ${KPI_COLUMNS.join(', ')}${missing.length ? ` (missing: ${missing.join(', ')})` : ''}`);
  return records.map((r, i) =>
    KPI_COLUMNS.map((c) => {
      const text = r[c];
      if (MISSING.has(text)) return null;
      const v = Number(text);
      if (!Number.isFinite(v)) throw new InputError('--input', `'${path}' row ${i + 2}, column ${c}: '${text}' is not a number`);
      return v;
    }),
  );
}

interface PredictOptions {
  model: string;
  input: string;
  profile?: string;
  output?: string;
  ndjson?: boolean;
}

/** A window of an NDJSON line: [[rsrp, rsrq, sinr], ...] or {"window": [...]}. */
const lineWindow = (item: unknown) => (typeof item === 'object' && item !== null && !Array.isArray(item) && 'window' in item ? (item as { window: unknown }).window : item);

async function predict(opts: PredictOptions): Promise<void> {
  const started = performance.now();
  const profile = opts.profile === undefined ? undefined : readJsonInput(opts.profile, '--profile');
  const model = await openKpiModel(opts.model);
  await withSink(opts.output, async (sink) => {
    const predictions: unknown[] = [];
    let scaler: string | undefined;
    for await (const chunk of readChunks(opts.input, { key: 'windows', ndjson: opts.ndjson })) {
      const windows = opts.ndjson ? chunk.items.map(lineWindow) : chunk.items;
      const answer = await asCommand(() => predictWindows(model, windows, { profile, offset: chunk.offset }));
      scaler = answer.scaler;
      if (opts.ndjson) for (const p of answer.predictions) sink.write(`${JSON.stringify(p)}\n`);
      else predictions.push(...answer.predictions);
    }
    if (scaler === undefined) throw new InputError('--input', 'windows: must hold at least one window');
    if (!opts.ndjson) sink.write(`${JSON.stringify({ model: model.name, scaler, windowLength: model.windowLength, predictions, elapsedMs: performance.now() - started }, null, 2)}\n`);
  });
}

export function registerKpi(program: Command): void {
  const kpi = program.command('kpi').description('KPI model: calibrate for a cell, predict from windows');
  kpi
    .command('calibrate')
    .description("A cell's calibration profile from its unlabelled history (as POST /v1/kpi/calibrate)")
    .requiredOption('--model <dir>', 'KPI model directory (e.g. models/kpi-ple)')
    .requiredOption('--input <file>', "the cell's rows: a CSV with RSRP, RSRQ, SINR columns (missing: empty, -, nan), or JSON {\"rows\": [[rsrp, rsrq, sinr], ...]} ('-': stdin)")
    .option('--output <file>', 'write the profile here instead of stdout')
    .action(async (opts: { model: string; input: string; output?: string }) => {
      const rows = opts.input.toLowerCase().endsWith('.csv') ? readCsvRows(opts.input) : (readJsonInput(opts.input) as { rows?: unknown }).rows;
      const model = await openKpiModel(opts.model);
      const profile = await asCommand(() => calibrateProfile(model, rows));
      await withSink(opts.output, async (sink) => sink.write(`${JSON.stringify(profile, null, 2)}\n`));
    });
  kpi
    .command('predict')
    .description('Interference probability and next-step KPIs for windows of raw measurements (as POST /v1/kpi/predict); any number of windows')
    .requiredOption('--model <dir>', 'KPI model directory (e.g. models/kpi-ple)')
    .requiredOption('--input <file>', "JSON {\"windows\": [[[rsrp, rsrq, sinr], ...], ...]} ('-': stdin)")
    .option('--ndjson', 'input holds one window per line ([[rsrp, rsrq, sinr], ...] or {"window": [...]}); output is one JSON line per window')
    .option('--profile <file>', 'the cell\'s profile from `radio-mtl kpi calibrate` or POST /v1/kpi/calibrate')
    .option('--output <file>', 'write the JSON result here instead of stdout')
    .action(predict);
}
