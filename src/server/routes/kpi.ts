/** POST /v1/kpi/predict: interference detection and next-step KPI prediction (batched). */
import type { Request, Response } from 'express';
import { QueueFullError } from '../batcher.js';
import { sendValidated, type AppContext } from '../context.js';
import { ApiError } from '../errors.js';
import { insideReportingRanges } from '../kpi-domain.js';
import type { KpiPrediction, KpiServable } from '../registry.js';
import type { components } from '../generated/api.js';
import { validateBody } from './validate.js';

type KpiRequest = components['schemas']['KpiRequest'];
type KpiResponse = components['schemas']['KpiResponse'];

const KEY_SEP = '\u0000';

/** Runs one batched forward pass (the DynamicBatcher's `run`); the key is model and scaler. */
export function runKpiBatch(ctx: Pick<AppContext, 'registry'>, key: string, windows: number[][][]): Promise<KpiPrediction[]> | KpiPrediction[] {
  const [name, scaler] = key.split(KEY_SEP);
  const model = ctx.registry.byName(name);
  if (!model || model.kind !== 'kpi') throw new ApiError('model-not-loaded', `KPI model '${name}' is not loaded`);
  return model.predict(windows, scaler);
}

/** True when every measurement of `window` lies in the per-column range the model was trained on. */
function insideTrainedRange(window: number[][], trained: { min: number[]; max: number[] }): boolean {
  return window.every((row) => row.every((v, j) => v >= trained.min[j] && v <= trained.max[j]));
}

function pickModel(ctx: AppContext, body: KpiRequest): KpiServable {
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
  const scaler = body.scaler ?? model.scalers[0];
  if (!model.scalers.includes(scaler)) {
    throw new ApiError('unknown-model', `scaler: model '${model.name}' has no scaler '${scaler}' (it has: ${model.scalers.join(', ')})`, [
      { field: '/scaler', message: `must be one of ${model.scalers.join(', ')}` },
    ]);
  }
  let out: KpiPrediction[];
  try {
    out = await ctx.kpiBatcher.submit(`${model.name}${KEY_SEP}${scaler}`, body.windows as number[][][]);
  } catch (err) {
    if (err instanceof QueueFullError) throw new ApiError('queue-full', err.message, undefined, { 'Retry-After': '1' });
    throw err;
  }
  const trained = model.trainedRange?.(scaler);
  const predictions = out.map((p, b) => {
    const values = [p.rsrp, p.rsrq, p.sinr, p.interferenceProbability];
    if (!values.every(Number.isFinite)) throw new ApiError('non-finite-output', `model '${model.name}' produced a non-finite prediction; nothing was returned`);
    const prob = Math.min(1, Math.max(0, p.interferenceProbability));
    const extrapolated = !insideReportingRanges([p.rsrp, p.rsrq, p.sinr]) || (trained !== undefined && !insideTrainedRange(body.windows[b] as number[][], trained));
    return { rsrp: p.rsrp, rsrq: p.rsrq, sinr: p.sinr, interferenceProbability: prob, interference: prob >= 0.5, extrapolated };
  });
  return { model: model.name, scaler, windowLength: model.windowLength, predictions, elapsedMs: performance.now() - started };
}

export function kpiHandler(ctx: AppContext) {
  return async (req: Request, res: Response): Promise<void> => sendValidated(ctx, res, 'predictKpi', 200, await predictKpi(ctx, req.body));
}
