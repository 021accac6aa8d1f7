/**
 * POST /v1/kpi/detect: one cell's series in, per-row probabilities, forecasts and interference
 * episodes out (src/detection/). The one implementation behind the route, `radio-mtl kpi
 * detect` and the page at /ui.
 */
import type { Request, Response } from 'express';
import { alertingProblem, DEFAULT_ALERTING, type AlertingRule } from '../../detection/alerting.js';
import { detectSeries } from '../../detection/detect.js';
import { parseTimestamps } from '../../detection/timestamps.js';
import { parseProfile, profileIdentity } from '../../datasets/kpi-inputs.js';
import { sendValidated, type AppContext } from '../context.js';
import { ApiError, checkInput } from '../errors.js';
import type { components } from '../generated/api.js';
import { kpiWindowPredictor } from '../kpi-window-predictor.js';
import { pickModel } from './kpi.js';
import { validateBody } from './validate.js';

type DetectRequest = components['schemas']['DetectRequest'];
type DetectResponse = components['schemas']['DetectResponse'];

/** Body limit of POST /v1/kpi/detect when --max-body-bytes is smaller, bytes (100,000 rows with times). */
export const DETECT_MAX_BODY_BYTES = 16 * 1024 * 1024;

function alertingRule(body: DetectRequest): AlertingRule {
  const rule = { ...DEFAULT_ALERTING, ...body.alerting };
  const problem = alertingProblem(rule);
  if (problem) throw new ApiError('invalid-series', `alerting/${problem.field}: ${problem.rule}`, [{ field: `/alerting/${problem.field}`, message: problem.rule }]);
  return rule;
}

function timesOf(body: DetectRequest): number[] | undefined {
  if (body.timestamps === undefined) return undefined;
  if (body.timestamps.length !== body.rows.length) {
    const rule = `must have as many items as rows (${body.rows.length}), has ${body.timestamps.length}`;
    throw new ApiError('invalid-series', `timestamps: ${rule}`, [{ field: '/timestamps', message: rule }]);
  }
  return checkInput('invalid-series', () => parseTimestamps(body.timestamps as Array<string | number>));
}

/** Validates a /v1/kpi/detect body and answers it. */
export async function detectKpi(ctx: AppContext, rawBody: unknown): Promise<DetectResponse> {
  const started = performance.now();
  const body = validateBody<DetectRequest>(ctx, 'detectKpi', rawBody);
  const model = pickModel(ctx, body);
  const rule = alertingRule(body);
  const times = timesOf(body);
  // Checked before any work, also for a series shorter than one window.
  if (body.profile !== undefined) checkInput('invalid-profile', () => parseProfile(body.profile, profileIdentity(model)));
  const rows = body.rows as Array<Array<number | null>>;
  const out = await detectSeries(rows, kpiWindowPredictor(ctx, model, body.profile), rule, times);
  return {
    model: out.model,
    windowLength: out.windowLength,
    alerting: rule,
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
