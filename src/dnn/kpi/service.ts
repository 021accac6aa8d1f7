/**
 * The KPI service: raw measurements in, answers out. The server's routes (/v1/kpi/*, /v2),
 * the CLI (`kpi predict`, `kpi calibrate`) and the library (`openModel`) all answer through
 * it, so one input gets one answer everywhere. Inside: the domain checks
 * (measurements/domain.ts), window length and gap rules (measurements/gaps.ts), the scaler of a
 * cell's calibration profile, gap filling, the profile's forecast gain, and the flags
 * (`extrapolated`, `imputed`). Callers choose only how forward passes run (the server
 * batches them across requests).
 */
import { checkMeasurements, insideReportingRanges, type Measurement } from '../../measurements/domain.js';
import { fillGaps, gapProblem } from '../../measurements/gaps.js';
import { historyWindows, type HistoryWindows } from '../../measurements/history.js';
import { computeProfile, DEFAULT_KPI_INPUTS, parseProfile, profileIdentity, scalerFromProfile, type KpiProfile } from '../../measurements/inputs.js';
import type { MinMaxScaler } from '../../measurements/scaler.js';
import { InputError } from '../../input-error.js';
import { applyForecastGain, fitForecastGain } from './forecast-gain.js';
import type { KpiPrediction, KpiServable } from './servable.js';
import { setImmediate } from 'node:timers/promises';

/** One forward pass over complete raw windows with a saved scaler (by name) or a profile's. */
export type KpiForward = (windows: number[][][], scaler: string | MinMaxScaler) => Promise<KpiPrediction[]>;

/** Bad KPI input, with the kind of rule it breaks (the server's error code follows from it). */
export class KpiInputError extends InputError {
  override name = 'KpiInputError';
  constructor(
    readonly kind: 'window' | 'profile' | 'scaler',
    field: string,
    rule: string,
  ) {
    super(field, rule);
  }
}

/** A forward pass that produced NaN or Infinity: nothing is returned. */
export class KpiNonFiniteError extends Error {
  override name = 'KpiNonFiniteError';
}

export interface KpiWindowPrediction extends KpiPrediction {
  interference: boolean;
  /** The forecast leaves the reporting ranges, or the window leaves the range the model was trained on. */
  extrapolated: boolean;
  /** Values filled in the window's gaps. */
  imputed: number;
}

export interface KpiAnswer {
  /** The scaler used: a saved scaler's name, or 'profile'. */
  scaler: string;
  predictions: KpiWindowPrediction[];
}

export interface KpiPredictOptions {
  /** The cell's calibration profile (from calibrate), as the client sent it back; not with `scaler`. */
  profile?: unknown;
  /** A saved scaler by name (default the model's first, `pooled`). */
  scaler?: string;
  /** How forward passes run (default the model's own). */
  forward?: KpiForward;
  /** Index of the first window in a longer input (a CLI file read in chunks): errors name windows by it. */
  offset?: number;
}

/** The scaler a profile gives `model`'s inputs (a `pooled` model keeps its one scaler). */
function profileScaler(model: KpiServable, profile: KpiProfile): MinMaxScaler {
  return scalerFromProfile(model.inputs ?? DEFAULT_KPI_INPUTS, profile, model.trainedRange?.('pooled'));
}

interface ResolvedScaler {
  name: string;
  scaler: string | MinMaxScaler;
  /** Raw range the model was trained on, per column (for `extrapolated`). */
  trained?: { min: number[]; max: number[] };
  forecastGain?: number[];
}

function resolveScaler(model: KpiServable, opts: KpiPredictOptions): ResolvedScaler {
  if (opts.profile !== undefined) {
    if (opts.scaler !== undefined) throw new KpiInputError('profile', 'scaler', 'must be absent when profile is given (give either profile or scaler, not both)');
    let profile: KpiProfile;
    try {
      profile = parseProfile(opts.profile, profileIdentity(model));
    } catch (err) {
      if (err instanceof InputError) throw new KpiInputError('profile', err.field, err.rule);
      throw err;
    }
    const scaler = profileScaler(model, profile);
    // The model saw each training cell scaled to [0, 1] by its own min-max: the cell's own range is what it knows.
    const trained = (model.inputs ?? DEFAULT_KPI_INPUTS) === 'file-minmax' ? scaler : undefined;
    return { name: 'profile', scaler, trained, forecastGain: profile.forecastGain };
  }
  const name = opts.scaler ?? model.scalers[0];
  if (!model.scalers.includes(name)) throw new KpiInputError('scaler', 'scaler', `model '${model.name}' has no scaler '${name}' (it has: ${model.scalers.join(', ')})`);
  return { name, scaler: name, trained: model.trainedRange?.(name) };
}

/** Measurement rows, their domain checked (a breach is a KpiInputError of kind 'window'). */
export function measurementRows(value: unknown, field: string): Measurement[] {
  try {
    return checkMeasurements(value, field);
  } catch (err) {
    if (err instanceof InputError) throw new KpiInputError('window', err.field, err.rule);
    throw err;
  }
}

/**
 * Windows checked (or filled) per event-loop turn: 1,024 windows in one turn held a server's
 * event loop for tens of ms; each slice of these takes a few.
 */
const WINDOWS_PER_TURN = 128;

/** `fn` applied to every item of `items`, WINDOWS_PER_TURN items per event-loop turn. */
async function mapInSlices<T, R>(items: readonly T[], fn: (item: T, index: number) => R): Promise<R[]> {
  const out: R[] = [];
  for (let a = 0; a < items.length; a += WINDOWS_PER_TURN) {
    if (a > 0) await setImmediate();
    for (let k = a; k < Math.min(items.length, a + WINDOWS_PER_TURN); k++) out.push(fn(items[k], k));
  }
  return out;
}

async function checkWindows(model: KpiServable, windows: unknown, offset = 0): Promise<Measurement[][]> {
  if (!Array.isArray(windows) || windows.length === 0) throw new KpiInputError('window', 'windows', 'must be a non-empty array of windows');
  return mapInSlices(windows as unknown[], (w, k) => {
    const i = offset + k;
    const rows = measurementRows(w, `windows/${i}`);
    if (rows.length !== model.windowLength) {
      throw new KpiInputError('window', `windows/${i}`, `has ${rows.length} measurements but model '${model.name}' takes windows of ${model.windowLength} [rsrp, rsrq, sinr] rows`);
    }
    const problem = gapProblem(rows, model.context ?? model.windowLength);
    if (problem) throw new KpiInputError('window', `windows/${i}`, problem);
    return rows;
  });
}

const insideTrainedRange = (window: number[][], trained: { min: number[]; max: number[] }) =>
  window.every((row) => row.every((v, j) => v >= trained.min[j] && v <= trained.max[j]));

/** Interference probability and next-step RSRP, RSRQ, SINR for raw windows (null: a missing value). */
export async function predictWindows(model: KpiServable, windows: unknown, opts: KpiPredictOptions = {}): Promise<KpiAnswer> {
  const checked = await checkWindows(model, windows, opts.offset);
  const scaler = resolveScaler(model, opts);
  // Every model sees complete raw windows: gaps are filled before scaling.
  await setImmediate();
  const filled = await mapInSlices(checked, fillGaps);
  const complete = filled.map((f) => f.window);
  const forward = opts.forward ?? (async (w: number[][][], s: string | MinMaxScaler) => model.predict(w, s));
  const out = await forward(complete, scaler.scaler);
  const predictions = out.map((p, b) => {
    const next = [p.rsrp, p.rsrq, p.sinr];
    const last = complete[b][complete[b].length - 1];
    if (scaler.forecastGain) applyForecastGain(next, last, scaler.forecastGain);
    if (![...next, p.interferenceProbability].every(Number.isFinite)) throw new KpiNonFiniteError(`model '${model.name}' produced a non-finite prediction; nothing was returned`);
    const prob = Math.min(1, Math.max(0, p.interferenceProbability));
    const extrapolated = !insideReportingRanges(next) || (scaler.trained !== undefined && !insideTrainedRange(complete[b], scaler.trained));
    return { rsrp: next[0], rsrq: next[1], sinr: next[2], interferenceProbability: prob, interference: prob >= 0.5, extrapolated, imputed: filled[b].imputed };
  });
  return { scaler: scaler.name, predictions };
}

/** What a calibration computes from a cell's rows before any forward pass. */
export interface CalibrationInputs {
  /** The rows' statistics. */
  profile: KpiProfile;
  /** Windows of the history with the measured row after each: what the forecast gain is fitted on. */
  history: HistoryWindows;
}

/**
 * The checks, statistics and history windows of a calibration: synchronous and independent of
 * the model's weights, so a server computes them on a worker thread (100,000 rows take tens
 * of ms).
 */
export function calibrationInputs(rows: unknown, model: { name: string; version: string; windowLength: number }): CalibrationInputs {
  if (rows === undefined) throw new KpiInputError('window', 'rows', 'is required');
  const checked = measurementRows(rows, 'rows');
  let profile: KpiProfile;
  try {
    profile = computeProfile(checked, profileIdentity(model));
  } catch (err) {
    if (err instanceof InputError) throw new KpiInputError('window', err.field, err.rule);
    throw err;
  }
  return { profile, history: historyWindows(checked, model.windowLength) };
}

/** The profile with the cell's forecast gain, fitted by running the model on the history's windows (none: the profile as it is). */
export async function fitCalibration(model: KpiServable, { profile, history }: CalibrationInputs, forward?: KpiForward): Promise<KpiProfile> {
  if (history.windows.length === 0) return profile;
  const run = forward ?? (async (w, s) => model.predict(w, s));
  const out = await run(history.windows, profileScaler(model, profile));
  const last = history.windows.flatMap((w) => w[w.length - 1]);
  const gain = fitForecastGain(last, out.flatMap((p) => [p.rsrp, p.rsrq, p.sinr]), history.next.flat());
  // Rounded: a profile is small JSON a client keeps; 1e-6 of a gain changes no forecast that matters.
  return { ...profile, forecastGain: gain.map((g) => Math.round(g * 1e6) / 1e6) };
}

/**
 * A cell's calibration profile from its unlabelled history (raw rows, null where missing):
 * the rows' statistics and the cell's forecast gain, fitted by running the model on windows
 * of the history.
 */
export async function calibrateProfile(model: KpiServable, rows: unknown, forward?: KpiForward): Promise<KpiProfile> {
  return fitCalibration(model, calibrationInputs(rows, model), forward);
}
