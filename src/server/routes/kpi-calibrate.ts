/**
 * POST /v1/kpi/calibrate: a cell's calibration profile from its unlabelled history (stateless),
 * made by the KPI service (src/dnn/kpi/service.ts: the rows' statistics and the cell's forecast gain).
 */
import type { Request, Response } from 'express';
import { calibrateProfile } from '../../dnn/kpi/service.js';
import { sendValidated, type AppContext } from '../context.js';
import type { components } from '../generated/api.js';
import { kpiProblem, pickModel } from './kpi.js';
import { validateBody } from './validate.js';

type CalibrateRequest = components['schemas']['CalibrateRequest'];
type CalibrateResponse = components['schemas']['CalibrateResponse'];

export async function calibrateKpi(ctx: AppContext, rawBody: unknown): Promise<CalibrateResponse> {
  const started = performance.now();
  const body = validateBody<CalibrateRequest>(ctx, 'calibrateKpi', rawBody);
  const model = pickModel(ctx, body);
  try {
    // One calibration at a time (ctx.calibrations): each holds a 100,000-row history in memory.
    const profile = (await ctx.calibrations(() => calibrateProfile(model, body.rows))) as CalibrateResponse['profile'];
    return { model: model.name, profile, elapsedMs: performance.now() - started };
  } catch (err) {
    throw kpiProblem(err, model);
  }
}

export function calibrateHandler(ctx: AppContext) {
  return async (req: Request, res: Response): Promise<void> => sendValidated(ctx, res, 'calibrateKpi', 200, await calibrateKpi(ctx, req.body));
}
