/** GET /v2/health/live and /v2/health/ready (KServe / Triton names). */
import type { Request, Response } from 'express';
import { sendValidated, type AppContext } from '../context.js';

export function liveHandler(ctx: AppContext) {
  return (_req: Request, res: Response): void => sendValidated(ctx, res, 'live', 200, { live: true });
}

export function readyHandler(ctx: AppContext) {
  return (_req: Request, res: Response): void => {
    const state = ctx.shuttingDown ? 'shutting-down' : ctx.registry.state;
    const ready = state === 'ready';
    sendValidated(ctx, res, 'ready', ready ? 200 : 503, {
      ready,
      state,
      models: ctx.registry.models.length,
      refused: ctx.registry.refused.length,
      ...(state === 'failed' && ctx.registry.detail !== undefined ? { detail: ctx.registry.detail } : {}),
    });
  };
}
