/** What every route handler gets: the compiled contract, models, config, logs and metrics. */
import type { Response } from 'express';
import type { LimitFunction } from 'p-limit';
import type { Logger } from 'pino';
import { ApiError, sendError } from './errors.js';
import type { DynamicBatcher } from './batcher.js';
import type { ServerMetrics } from './metrics.js';
import type { KpiPrediction, ModelRegistry } from './registry.js';
import type { SolverPool } from './solver-pool.js';
import type { CalibrationPool } from './calibration-pool.js';
import type { CompiledSpec } from './spec.js';

export interface AppConfig {
  /** Bearer token required on /v1/* when set (RADIO_MTL_API_TOKEN). */
  apiToken?: string;
  /** Body size limit, bytes (413 beyond). */
  maxBodyBytes: number;
  /** Dynamic batching: rows per forward pass at most. */
  maxBatchSize: number;
  /** Dynamic batching: how long a request may wait for others, microseconds. */
  maxQueueDelayUs: number;
  /** Rows queued per model and task at most (503 queue-full beyond). */
  maxQueueSize: number;
  /** A request not answered within this time gets 503 timeout, ms. */
  requestTimeoutMs: number;
  /** Compute sum-capacity lambda* for the paper's sizes during warm-up. */
  precomputeLambdas: boolean;
  /** Reading and checksumming one model directory's files longer than this refuses it, ms. */
  modelFileTimeoutMs?: number;
  /** Worker threads for heavy exact/IPM solves (default: cores - 1, at least 1). */
  solverThreads?: number;
}

export const DEFAULT_APP_CONFIG: AppConfig = {
  maxBodyBytes: 1024 * 1024,
  maxBatchSize: 256,
  maxQueueDelayUs: 0,
  maxQueueSize: 8192,
  requestTimeoutMs: 10_000,
  precomputeLambdas: true,
};

export interface AppContext {
  spec: CompiledSpec;
  registry: ModelRegistry;
  config: AppConfig;
  logger: Logger;
  metrics: ServerMetrics;
  allocationBatcher: DynamicBatcher<number[], number[]>;
  kpiBatcher: DynamicBatcher<number[][], KpiPrediction>;
  /** Exact/IPM solves: inline when cheap, else on worker threads. */
  solverPool: SolverPool;
  /** Calibration bodies parsed, validated and summarised on a worker thread. */
  calibrationPool: CalibrationPool;
  /**
   * Calibrations one at a time: each is a string of event-loop turns of tens of ms, and
   * several interleaved would queue all their turns ahead of a liveness probe.
   */
  calibrations: LimitFunction;
  /** True once shutdown began: /v1 requests get 503 shutting-down. */
  shuttingDown: boolean;
  /** True once no listener accepts connections any more: every response closes its connection. */
  closingConnections?: boolean;
}

/**
 * Sends `body` after validating it against the operation's response schema; a response
 * that does not match is never sent (500 invalid-response, logged).
 */
export function sendValidated(ctx: AppContext, res: Response, operationId: string, status: number, body: unknown): void {
  if (res.headersSent) return; // timed out meanwhile
  const validate = ctx.spec.response.get(`${operationId} ${status}`);
  if (validate && !validate(body)) {
    ctx.logger.error({ operationId, status, errors: validate.errors?.slice(0, 5) }, 'response failed validation against openapi.yaml');
    sendError(res, new ApiError('invalid-response', `the ${operationId} response did not match openapi.yaml; this is a server bug`));
    return;
  }
  res.status(status).json(body);
}

/** Aborted when the request runs out of time or its client disconnects (set by the lifecycle middleware). */
export function requestSignal(res: Response): AbortSignal | undefined {
  return (res.locals as { signal?: () => AbortSignal }).signal?.();
}
