/**
 * POST /v1/kpi/calibrate: a cell's calibration profile from its unlabelled history (stateless),
 * made by the KPI service (src/dnn/kpi/service.ts: the rows' statistics and the cell's forecast
 * gain). The body is parsed, validated and summarised on a worker thread (calibration-pool.ts);
 * the forward passes of the gain run here.
 */
import type { Request, Response } from 'express';
import { fitCalibration } from '../../dnn/kpi/service.js';
import { sendValidated, type AppContext } from '../context.js';
import type { components } from '../generated/api.js';
import { kpiProblem, pickModel } from './kpi.js';

type CalibrateResponse = components['schemas']['CalibrateResponse'];

/** `body`: the request's raw bytes. */
async function calibrateKpi(ctx: AppContext, body: Uint8Array): Promise<CalibrateResponse> {
  const started = performance.now();
  // One calibration at a time (ctx.calibrations): each holds a 100,000-row history in memory.
  return ctx.calibrations(async () => {
    const models = ctx.registry.kpiModels();
    let found;
    try {
      found = await ctx.calibrationPool.inputs(body, models);
    } catch (err) {
      throw models.length > 0 ? kpiProblem(err, models[0]) : err;
    }
    const model = pickModel(ctx, { model: found.model });
    if (!found.inputs) throw new Error(`calibration: no inputs for model '${model.name}'`);
    try {
      const profile = (await fitCalibration(model, found.inputs)) as CalibrateResponse['profile'];
      return { model: model.name, profile, elapsedMs: performance.now() - started };
    } catch (err) {
      throw kpiProblem(err, model);
    }
  });
}

export function calibrateHandler(ctx: AppContext) {
  return async (req: Request, res: Response): Promise<void> => sendValidated(ctx, res, 'calibrateKpi', 200, await calibrateKpi(ctx, Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0)));
}
