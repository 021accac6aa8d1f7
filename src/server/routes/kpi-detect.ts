/**
 * POST /v1/kpi/detect: one cell's series in, per-row probabilities, forecasts and interference
 * episodes out, answered by the detection service (src/detection/detect.ts) with the server's
 * batched forward passes. /v2 with `detect: true` answers through it too.
 */
import type { Request, Response } from 'express';
import { detectInterference } from '../../detection/detect.js';
import { parseTimestamps } from '../../detection/timestamps.js';
import { KpiInputError, KpiNonFiniteError } from '../../dnn/kpi/service.js';
import { InputError } from '../../input-error.js';
import { sendValidated, type AppContext } from '../context.js';
import { ApiError, checkInput, inputProblem } from '../errors.js';
import type { components } from '../generated/api.js';
import { batchedForward, pickModel } from './kpi.js';
import { validateBody } from './validate.js';

type DetectRequest = components['schemas']['DetectRequest'];
type DetectResponse = components['schemas']['DetectResponse'];

/** Body limit of POST /v1/kpi/detect when --max-body-bytes is smaller, bytes (100,000 rows with times). */
export const DETECT_MAX_BODY_BYTES = 16 * 1024 * 1024;

/** Detection's errors as API errors: a bad profile 422 invalid-profile, other bad input 422 invalid-series. */
function detectProblem(err: unknown): unknown {
  if (err instanceof KpiInputError && err.kind === 'profile') return inputProblem(err, 'invalid-profile');
  if (err instanceof InputError) return inputProblem(err, 'invalid-series');
  if (err instanceof KpiNonFiniteError) return new ApiError('non-finite-output', err.message);
  return err;
}

/** Validates a /v1/kpi/detect body and answers it through the detection service (src/detection/detect.ts). */
export async function detectKpi(ctx: AppContext, rawBody: unknown): Promise<DetectResponse> {
  const started = performance.now();
  const body = validateBody<DetectRequest>(ctx, 'detectKpi', rawBody);
  const model = pickModel(ctx, body);
  const timesMs = body.timestamps === undefined ? undefined : checkInput('invalid-series', () => parseTimestamps(body.timestamps as Array<string | number>));
  const out = await detectInterference(model, body.rows, { alerting: body.alerting, timesMs, profile: body.profile, forward: batchedForward(ctx, model) }).catch((err: unknown) => {
    throw detectProblem(err);
  });
  return {
    model: out.model,
    windowLength: out.windowLength,
    alerting: out.alerting,
    interferenceProbability: out.probability,
    forecast: out.forecast,
    refusedWindows: out.refused,
    episodes: out.episodes,
    elapsedMs: performance.now() - started,
  };
}

export function detectHandler(ctx: AppContext) {
  return async (req: Request, res: Response): Promise<void> => sendValidated(ctx, res, 'detectKpi', 200, await detectKpi(ctx, req.body));
}
