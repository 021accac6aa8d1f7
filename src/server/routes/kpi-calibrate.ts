/**
 * POST /v1/kpi/calibrate: a cell's calibration profile from its unlabelled history (stateless).
 * Besides the rows' statistics, the profile carries the cell's forecast gain: the model is run
 * on windows of the history and its predicted steps are fitted to the steps that followed.
 */
import type { Request, Response } from 'express';
import { setImmediate } from 'node:timers/promises';
import { computeProfile, profileIdentity, type KpiProfile } from '../../datasets/kpi-inputs.js';
import { historyWindows } from '../../datasets/kpi-history.js';
import { fitForecastGain } from '../../dnn/kpi/forecast-gain.js';
import type { KpiServable } from '../registry.js';
import { sendValidated, type AppContext } from '../context.js';
import { checkInput } from '../errors.js';
import type { components } from '../generated/api.js';
import { pickModel, profileScaler } from './kpi.js';
import { validateBody } from './validate.js';

type CalibrateRequest = components['schemas']['CalibrateRequest'];
type CalibrateResponse = components['schemas']['CalibrateResponse'];

/** The cell's forecast gain from its history, or undefined when the history holds no window with a measured next row. */
async function forecastGain(model: KpiServable, profile: KpiProfile, rows: Array<Array<number | null>>): Promise<number[] | undefined> {
  const history = historyWindows(rows, model.windowLength);
  if (history.windows.length === 0) return undefined;
  await setImmediate();
  const out = await model.predict(history.windows, profileScaler(model, profile));
  const last = history.windows.flatMap((w) => w[w.length - 1]);
  const gain = fitForecastGain(last, out.flatMap((p) => [p.rsrp, p.rsrq, p.sinr]), history.next.flat());
  // Rounded: a profile is small JSON a client keeps; 1e-6 of a gain changes no forecast that matters.
  return gain.map((g) => Math.round(g * 1e6) / 1e6);
}

/** Validates a /v1/kpi/calibrate body and makes the profile: the one implementation behind the route and the CLI. */
export async function calibrateKpi(ctx: AppContext, rawBody: unknown): Promise<CalibrateResponse> {
  const started = performance.now();
  const body = validateBody<CalibrateRequest>(ctx, 'calibrateKpi', rawBody);
  const model = pickModel(ctx, body);
  const rows = body.rows as Array<Array<number | null>>;
  const { profile, gain } = await ctx.calibrations(async () => {
    // 100,000 rows take tens of ms per step: each step on its own event-loop turn.
    await setImmediate();
    const made = checkInput('invalid-window', () => computeProfile(rows, profileIdentity(model)));
    await setImmediate();
    return { profile: made, gain: await forecastGain(model, made, rows) };
  });
  const withGain = (gain ? { ...profile, forecastGain: gain } : profile) as CalibrateResponse['profile'];
  return { model: model.name, profile: withGain, elapsedMs: performance.now() - started };
}

export function calibrateHandler(ctx: AppContext) {
  return async (req: Request, res: Response): Promise<void> => sendValidated(ctx, res, 'calibrateKpi', 200, await calibrateKpi(ctx, req.body));
}
