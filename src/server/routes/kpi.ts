/** POST /v1/kpi/predict: interference detection and next-step KPI prediction (batched). */
import type { Request, Response } from 'express';
import { setImmediate } from 'node:timers/promises';
import { QueueFullError } from '../batcher.js';
import { sendValidated, type AppContext } from '../context.js';
import { ApiError, inputProblem } from '../errors.js';
import { InputError } from '../../input-error.js';
import { insideReportingRanges } from '../../datasets/kpi-domain.js';
import { fillGaps, gapProblem } from '../../datasets/kpi-gaps.js';
import { applyForecastGain } from '../../dnn/kpi/forecast-gain.js';
import type { KpiPrediction, KpiServable } from '../registry.js';
import { DEFAULT_KPI_INPUTS, parseProfile, profileIdentity, scalerFromProfile, type KpiProfile } from '../../datasets/kpi-inputs.js';
import type { MinMaxScaler } from '../../datasets/scaler.js';
import type { components } from '../generated/api.js';
import { validateBody } from './validate.js';

type KpiRequest = components['schemas']['KpiRequest'];
type KpiResponse = components['schemas']['KpiResponse'];

const KEY_SEP = '\u0000';

/** Scaler part of a batch key: a saved scaler's name, or a profile's scaler as JSON. */
const PROFILE_KEY = 'profile:';

/**
 * Runs one batched forward pass (the DynamicBatcher's `run`); the key is the model and the
 * scaler (requests with the same profile share a pass).
 */
export function runKpiBatch(ctx: Pick<AppContext, 'registry'>, key: string, windows: number[][][]): Promise<KpiPrediction[]> | KpiPrediction[] {
  const [name, scaler] = key.split(KEY_SEP);
  const model = ctx.registry.byName(name);
  if (!model || model.kind !== 'kpi') throw new ApiError('model-not-loaded', `KPI model '${name}' is not loaded`);
  return model.predict(windows, scaler.startsWith(PROFILE_KEY) ? (JSON.parse(scaler.slice(PROFILE_KEY.length)) as MinMaxScaler) : scaler);
}

/** The scaler a profile gives `model`'s inputs (a `pooled` model keeps its one scaler). */
export function profileScaler(model: KpiServable, profile: KpiProfile): MinMaxScaler {
  return scalerFromProfile(model.inputs ?? DEFAULT_KPI_INPUTS, profile, model.trainedRange?.('pooled'));
}

interface RequestScaler {
  name: string;
  key: string;
  trained?: { min: number[]; max: number[] };
  /** The profile's forecast gain, when the request has a profile that carries one. */
  forecastGain?: number[];
}

/** The scaler of the request: a saved one by name (default the first), or the profile's. */
function requestScaler(model: KpiServable, body: KpiRequest): RequestScaler {
  if (body.profile !== undefined) {
    if (body.scaler !== undefined) {
      throw new ApiError('invalid-profile', 'profile: give either profile or scaler, not both', [{ field: '/scaler', message: 'must be absent when profile is given' }]);
    }
    let profile: KpiProfile;
    try {
      profile = parseProfile(body.profile, profileIdentity(model));
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      const problem = inputProblem(err, 'invalid-profile');
      throw new ApiError(problem.code, `${err.message} (make one with POST /v1/kpi/calibrate for model '${model.name}')`, problem.errors);
    }
    const scaler = profileScaler(model, profile);
    // The model saw each training cell scaled to [0, 1] by its own min-max: the cell's own range is what it knows.
    const trained = (model.inputs ?? DEFAULT_KPI_INPUTS) === 'file-minmax' ? scaler : undefined;
    return { name: 'profile', key: `${PROFILE_KEY}${JSON.stringify(scaler)}`, trained, forecastGain: profile.forecastGain };
  }
  const name = body.scaler ?? model.scalers[0];
  if (!model.scalers.includes(name)) {
    throw new ApiError('unknown-model', `scaler: model '${model.name}' has no scaler '${name}' (it has: ${model.scalers.join(', ')})`, [
      { field: '/scaler', message: `must be one of ${model.scalers.join(', ')}` },
    ]);
  }
  return { name, key: name, trained: model.trainedRange?.(name) };
}

/** True when every measurement of `window` lies in the per-column range the model was trained on. */
function insideTrainedRange(window: number[][], trained: { min: number[]; max: number[] }): boolean {
  return window.every((row) => row.every((v, j) => v >= trained.min[j] && v <= trained.max[j]));
}

export function pickModel(ctx: AppContext, body: { model?: string }): KpiServable {
  const models = ctx.registry.kpiModels();
  if (body.model !== undefined) {
    const m = models.find((x) => x.name === body.model);
    if (!m) throw new ApiError('unknown-model', `model: no KPI model named '${body.model}' is loaded (loaded: ${models.map((x) => x.name).join(', ') || 'none'})`);
    return m;
  }
  if (models.length === 0) {
    throw new ApiError(
      'model-not-loaded',
      ctx.registry.loaded ? 'no KPI model is loaded (see GET /v1/models for refused ones)' : 'models are still loading; retry shortly',
      undefined,
      { 'Retry-After': '1' },
    );
  }
  return models[0];
}

/**
 * Validates a /v1/kpi/predict body and answers it: the one implementation behind
 * /v1/kpi/predict and the KPI models of the Open Inference Protocol.
 */
export async function predictKpi(ctx: AppContext, rawBody: unknown): Promise<KpiResponse> {
  const started = performance.now();
  const body = validateBody<KpiRequest>(ctx, 'predictKpi', rawBody);
  const model = pickModel(ctx, body);
  const i = body.windows.findIndex((w) => w.length !== model.windowLength);
  if (i >= 0) {
    throw new ApiError(
      'invalid-window',
      `windows/${i}: has ${body.windows[i].length} measurements but model '${model.name}' takes windows of ${model.windowLength} [rsrp, rsrq, sinr] rows`,
      [{ field: `/windows/${i}`, message: `must have ${model.windowLength} items` }],
    );
  }
  body.windows.forEach((w, k) => {
    const problem = gapProblem(w, model.context ?? model.windowLength);
    if (problem) throw new ApiError('invalid-window', `windows/${k}: ${problem}`, [{ field: `/windows/${k}`, message: problem }]);
  });
  const scaler = requestScaler(model, body);
  // 1,024 windows take tens of ms to check and then to fill and scale: two event-loop turns.
  await setImmediate();
  // Every model sees complete raw windows: gaps are filled before scaling.
  const filled = body.windows.map(fillGaps);
  const windows = filled.map((f) => f.window);
  let out: KpiPrediction[];
  try {
    out = await ctx.kpiBatcher.submit(`${model.name}${KEY_SEP}${scaler.key}`, windows);
  } catch (err) {
    if (err instanceof QueueFullError) throw new ApiError('queue-full', err.message, undefined, { 'Retry-After': '1' });
    throw err;
  }
  const trained = scaler.trained;
  const gain = scaler.forecastGain;
  const predictions = out.map((p, b) => {
    const next = [p.rsrp, p.rsrq, p.sinr];
    if (gain) applyForecastGain(next, windows[b][windows[b].length - 1], gain);
    const values = [...next, p.interferenceProbability];
    if (!values.every(Number.isFinite)) throw new ApiError('non-finite-output', `model '${model.name}' produced a non-finite prediction; nothing was returned`);
    const prob = Math.min(1, Math.max(0, p.interferenceProbability));
    const extrapolated = !insideReportingRanges(next) || (trained !== undefined && !insideTrainedRange(windows[b], trained));
    return { rsrp: next[0], rsrq: next[1], sinr: next[2], interferenceProbability: prob, interference: prob >= 0.5, extrapolated, imputed: filled[b].imputed };
  });
  return { model: model.name, scaler: scaler.name, windowLength: model.windowLength, predictions, elapsedMs: performance.now() - started };
}

export function kpiHandler(ctx: AppContext) {
  return async (req: Request, res: Response): Promise<void> => sendValidated(ctx, res, 'predictKpi', 200, await predictKpi(ctx, req.body));
}
