/**
 * `radio-mtl kpi calibrate` and `radio-mtl kpi predict`: the KPI model's calibration and
 * prediction from files, through the same code as POST /v1/kpi/calibrate and /v1/kpi/predict
 * (validation against openapi.yaml, domain checks, scaling), so a profile made here works
 * with the server and the other way round.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parse } from 'csv-parse/sync';
import { KPI_COLUMNS } from '../../datasets/fcciq.js';
import { writeFileAtomic } from '../../io/atomic-write.js';
import { createContext, loadModels } from '../../server/app.js';
import type { AppContext } from '../../server/context.js';
import { ApiError } from '../../server/errors.js';
import { defaultLoaders } from '../../server/loaders.js';
import { createLogger } from '../../server/logger.js';
import { calibrateKpi } from '../../server/routes/kpi-calibrate.js';
import { predictKpi } from '../../server/routes/kpi.js';
import { writingTo } from '../errors.js';
import { InputError } from '../../input-error.js';
import { readJsonInput } from '../read-input.js';

/** The one KPI model in `dir`, loaded, verified and warmed up as the server does. */
export async function kpiContext(dir: string): Promise<AppContext> {
  const ctx = createContext({ config: { precomputeLambdas: false }, loaders: await defaultLoaders(), logger: createLogger('silent') });
  await loadModels(ctx, dir);
  const refused = ctx.registry.refused[0];
  if (refused) throw new InputError('--model', `${refused.reason}`);
  if (ctx.registry.kpiModels().length !== 1) throw new InputError('--model', `${dir} is not a KPI model directory`);
  return ctx;
}

/** Runs a server operation; an API error about the request becomes bad input under the option that held it. */
async function asCommand<T>(call: () => T | Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof ApiError && err.status < 500) throw new InputError(err.code === 'invalid-profile' ? '--profile' : '--input', err.detail);
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

function output(doc: unknown, file: string | undefined): void {
  const text = `${JSON.stringify(doc, null, 2)}\n`;
  if (file) writingTo('--output', file, () => writeFileAtomic(file, text));
  else process.stdout.write(text);
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
      const ctx = await kpiContext(opts.model);
      const result = await asCommand(() => calibrateKpi(ctx, { rows }));
      output(result.profile, opts.output);
    });
  kpi
    .command('predict')
    .description('Interference probability and next-step KPIs for windows of raw measurements (as POST /v1/kpi/predict)')
    .requiredOption('--model <dir>', 'KPI model directory (e.g. models/kpi-ple)')
    .requiredOption('--input <file>', "JSON {\"windows\": [[[rsrp, rsrq, sinr], ...], ...]} ('-': stdin)")
    .option('--profile <file>', 'the cell\'s profile from `radio-mtl kpi calibrate` or POST /v1/kpi/calibrate')
    .option('--output <file>', 'write the JSON result here instead of stdout')
    .action(async (opts: { model: string; input: string; profile?: string; output?: string }) => {
      const doc = readJsonInput(opts.input) as { windows?: unknown };
      const profile = opts.profile === undefined ? undefined : readJsonInput(opts.profile, '--profile');
      const ctx = await kpiContext(opts.model);
      const result = await asCommand(() => predictKpi(ctx, { windows: doc?.windows, ...(profile === undefined ? {} : { profile }) }));
      output(result, opts.output);
    });
}
