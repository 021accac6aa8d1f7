/** POST /v1/kpi/calibrate: a cell's calibration profile from its unlabelled history (stateless). */
import type { Request, Response } from 'express';
import { computeProfile, profileIdentity } from '../../datasets/kpi-inputs.js';
import { sendValidated, type AppContext } from '../context.js';
import { checkInput } from '../errors.js';
import type { components } from '../generated/api.js';
import { pickModel } from './kpi.js';
import { validateBody } from './validate.js';

type CalibrateRequest = components['schemas']['CalibrateRequest'];
type CalibrateResponse = components['schemas']['CalibrateResponse'];

/** Validates a /v1/kpi/calibrate body and makes the profile: the one implementation behind the route and the CLI. */
export function calibrateKpi(ctx: AppContext, rawBody: unknown): CalibrateResponse {
  const started = performance.now();
  const body = validateBody<CalibrateRequest>(ctx, 'calibrateKpi', rawBody);
  const model = pickModel(ctx, body);
  const profile = checkInput('invalid-window', () => computeProfile(body.rows as Array<Array<number | null>>, profileIdentity(model))) as CalibrateResponse['profile'];
  return { model: model.name, profile, elapsedMs: performance.now() - started };
}

export function calibrateHandler(ctx: AppContext) {
  return (req: Request, res: Response): void => sendValidated(ctx, res, 'calibrateKpi', 200, calibrateKpi(ctx, req.body));
}
