/**
 * `radio-mtl solve --problem interference`: powers for K x K gain matrices
 * ({"gains": [[...], ...]} for one, or [[[...]], ...] for a batch) by WMMSE (default; the
 * best of --starts random starts when --starts > 1), exhaustive on/off (K <= 10), full power
 * or a trained interference model (--solver dnn --model DIR).
 */
import type { Command } from 'commander';
import { underOption } from '../errors.js';
import { withSink } from '../instances.js';
import { parseIntOption, parseNumberOption } from '../options.js';
import { readJsonInput } from '../read-input.js';
import { InputError } from '../../input-error.js';
import { allocateInterferenceWithModel } from '../../dnn/interference/service.js';
import { loadInterferenceServable } from '../../dnn/interference/servable.js';
import { resolveModelDir } from '../../shipped-models.js';
import { basename } from 'node:path';
import { seededUniform } from '../../random.js';
import { parseInterferenceGains, type InterferenceBatch } from '../../solvers/interference-input.js';
import { sumRates } from '../../solvers/interference-objective.js';
import { exhaustiveOnOff } from '../../solvers/interference-on-off.js';
import { INTERFERENCE, INTERFERENCE_DEFAULTS } from '../../solvers/params.js';
import { fullPower, wmmse, wmmseBestOf, WMMSE_DEFAULTS, type WmmseOptions } from '../../solvers/wmmse.js';

const SOLVE_INTERFERENCE_DEFAULTS = { starts: 1, iterations: WMMSE_DEFAULTS.maxIterations, tolerance: WMMSE_DEFAULTS.tolerance, seed: 1 };

export const INTERFERENCE_SOLVERS = ['wmmse', 'on-off', 'full-power', 'dnn'] as const;
type InterferenceSolver = (typeof INTERFERENCE_SOLVERS)[number];

interface SolveInterferenceOptions {
  solver: InterferenceSolver;
  model?: string;
  starts: number;
  iterations: number;
  tolerance: number;
  seed: number;
}

/** The model `solve --problem interference --solver dnn` uses without --model (models/ of the package). */
const DEFAULT_INTERFERENCE_MODEL = 'interference-routed';

const rows = (flat: ArrayLike<number>, count: number, width: number) => Array.from({ length: count }, (_, s) => Array.from(flat).slice(s * width, (s + 1) * width));

async function powersOf(o: SolveInterferenceOptions, b: InterferenceBatch): Promise<{ power: Float64Array; extra: Record<string, unknown> }> {
  const limits = INTERFERENCE_DEFAULTS;
  const wmmseOptions: WmmseOptions = { maxIterations: o.iterations, tolerance: o.tolerance };
  if (o.solver === 'wmmse' && o.starts === 1) {
    const r = wmmse(b.gains, b.count, b.k, limits, fullPower(b.count, b.k, limits), wmmseOptions);
    return { power: r.power, extra: { iterations: Array.from(r.iterations) } };
  }
  if (o.solver === 'wmmse') return { power: wmmseBestOf(b.gains, b.count, b.k, limits, o.starts, seededUniform(`solve-wmmse:${o.seed}`), wmmseOptions).power, extra: { starts: o.starts, seed: o.seed } };
  if (o.solver === 'on-off') return { power: underOption('--input', () => exhaustiveOnOff(b.gains, b.count, b.k, limits)).power, extra: {} };
  return { power: fullPower(b.count, b.k, limits), extra: {} };
}

/** The shipped interference model, or --model: answered by the interference service, as /v1/allocate and openModel answer. */
async function solveWithModel(o: SolveInterferenceOptions, gains: unknown): Promise<Record<string, unknown>> {
  const dir = resolveModelDir(o.model ?? DEFAULT_INTERFERENCE_MODEL);
  if (o.model === undefined) process.stderr.write(`solve: using the shipped interference model ${dir} (--model DIR for another)\n`);
  const model = await underOption('--model', () => loadInterferenceServable(dir, basename(dir)));
  const answer = await underOption('--input', () => allocateInterferenceWithModel(model, gains));
  return { ...answer, model: { dir, name: model.name, scheme: model.scheme, channel: model.params.channel, version: model.version, engine: model.engine } };
}

/** The result document of `solve` for the interference problem. */
export async function solveInterference(o: SolveInterferenceOptions, gains: unknown): Promise<Record<string, unknown>> {
  const batch = underOption('--input', () => parseInterferenceGains(gains));
  if (!Number.isInteger(o.starts) || o.starts < 1) throw new InputError('--starts', 'must be an integer >= 1');
  if (o.solver === 'dnn') return solveWithModel(o, gains);
  const { power, extra } = await powersOf(o, batch);
  const sumRate = sumRates(batch.gains, batch.count, batch.k, power, INTERFERENCE_DEFAULTS.noisePowerW);
  return { k: batch.k, power: rows(power, batch.count, batch.k), sumRate: Array.from(sumRate), ...extra };
}


/** The interference options of `solve` (WMMSE's starts, iteration cap, tolerance, seed). */
export interface InterferenceCliOptions {
  solver?: string;
  input: string;
  output?: string;
  model?: string;
  ndjson?: boolean;
  starts: number;
  iterations: number;
  tolerance: number;
  seed: number;
}

export function registerInterferenceOptions(command: Command): void {
  command
    .option('--starts <n>', 'interference WMMSE: best of n random starts (1: one run from full power)', parseIntOption(1), SOLVE_INTERFERENCE_DEFAULTS.starts)
    .option('--iterations <n>', 'interference WMMSE: iteration cap', parseIntOption(1), SOLVE_INTERFERENCE_DEFAULTS.iterations)
    .option('--tolerance <bits>', 'interference WMMSE: stop once an iteration gains at most this much sum rate', parseNumberOption(0), SOLVE_INTERFERENCE_DEFAULTS.tolerance)
    .option('--seed <int>', 'interference WMMSE: seed of the random starts', parseIntOption(), SOLVE_INTERFERENCE_DEFAULTS.seed);
}

/** `solve --problem interference`: reads the whole document (at most 1024 matrices), answers one JSON document. */
export async function solveInterferenceCommand(opts: InterferenceCliOptions): Promise<void> {
  if (opts.ndjson) throw new InputError('--ndjson', 'is not supported for interference: give one JSON document {"gains": ...} of at most 1024 matrices');
  const doc = readJsonInput(opts.input);
  if (typeof doc !== 'object' || doc === null || !('gains' in doc)) throw new InputError('--input', `'${opts.input}' must hold a JSON object with a "gains" array`);
  const solver = (opts.solver ?? 'wmmse') as InterferenceSolver;
  if (!(INTERFERENCE_SOLVERS as readonly string[]).includes(solver)) throw new InputError('--solver', `interference takes ${INTERFERENCE_SOLVERS.join(' | ')}, got '${solver}'`);
  const started = performance.now();
  const result = await solveInterference({ ...opts, solver }, (doc as { gains: unknown }).gains);
  await withSink(opts.output, async (sink) => sink.write(`${JSON.stringify({ problem: INTERFERENCE, solver, ...result, elapsedMs: performance.now() - started })}\n`));
}
