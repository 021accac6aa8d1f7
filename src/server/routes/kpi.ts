/** POST /v1/kpi/predict: interference detection and next-step KPI prediction (batched), answered by the KPI service. */
import type { Request, Response } from 'express';
import { QueueFullError } from '../batcher.js';
import { sendValidated, type AppContext } from '../context.js';
import { ApiError, inputProblem } from '../errors.js';
import { KpiInputError, KpiNonFiniteError, predictWindows, type KpiForward } from '../../dnn/kpi/service.js';
import type { KpiPrediction, KpiServable } from '../registry.js';
import type { MinMaxScaler } from '../../measurements/scaler.js';
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

/** The service's forward passes through the server's dynamic batcher. */
export function batchedForward(ctx: AppContext, model: KpiServable): KpiForward {
  return async (windows, scaler) => {
    const key = typeof scaler === 'string' ? scaler : `${PROFILE_KEY}${JSON.stringify(scaler)}`;
    try {
      return await ctx.kpiBatcher.submit(`${model.name}${KEY_SEP}${key}`, windows);
    } catch (err) {
      if (err instanceof QueueFullError) throw new ApiError('queue-full', err.message, undefined, { 'Retry-After': '1' });
      throw err;
    }
  };
}

/** The KPI service's errors as API errors: bad input 422 by its kind, a broken model 500. */
export function kpiProblem(err: unknown, model: KpiServable): unknown {
  if (err instanceof KpiInputError) {
    if (err.kind === 'window') return inputProblem(err, 'invalid-window');
    if (err.kind === 'scaler') return inputProblem(err, 'unknown-model');
    const problem = inputProblem(err, 'invalid-profile');
    return new ApiError(problem.code, `${err.message} (make one with POST /v1/kpi/calibrate for model '${model.name}')`, problem.errors);
  }
  if (err instanceof KpiNonFiniteError) return new ApiError('non-finite-output', err.message);
  return err;
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
  try {
    const answer = await predictWindows(model, body.windows, { profile: body.profile, scaler: body.scaler, forward: batchedForward(ctx, model) });
    return { model: model.name, scaler: answer.scaler, windowLength: model.windowLength, predictions: answer.predictions, elapsedMs: performance.now() - started };
  } catch (err) {
    throw kpiProblem(err, model);
  }
}

export function kpiHandler(ctx: AppContext) {
  return async (req: Request, res: Response): Promise<void> => sendValidated(ctx, res, 'predictKpi', 200, await predictKpi(ctx, req.body));
}
