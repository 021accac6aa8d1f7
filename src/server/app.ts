/**
 * The express 5 application, built from openapi.yaml: helmet headers, request timeout,
 * optional bearer auth on /v1/* and /v2/models/*, JSON body limit, ajv request and response
 * validation, errors from the one table in errors.ts (problem+json; on the Open Inference
 * Protocol's paths that protocol's shape), Prometheus metrics, offline /docs.
 */
import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import helmet from 'helmet';
import pLimit from 'p-limit';
import type { Logger } from 'pino';
import { PAPER_SIZES, SUM_CAPACITY_DEFAULTS } from '../solvers/params.js';
import { optimalLambda } from '../solvers/solve-batch.js';
import { bearerAuth } from './auth.js';
import { DynamicBatcher } from './batcher.js';
import { SolverPool } from './solver-pool.js';
import { CalibrationPool } from './calibration-pool.js';
import { DEFAULT_APP_CONFIG, type AppConfig, type AppContext } from './context.js';
import { docsRouter } from './docs.js';
import { bodyBytesReceived, jsonBody } from './json-body.js';
import { uiRouter } from './routes/ui.js';
import { ApiError, inputProblem, sendError } from './errors.js';
import { InputError } from '../input-error.js';
import { createLogger } from './logger.js';
import { createMetrics, type ServerMetrics } from './metrics.js';
import { ModelRegistry, type KpiPrediction, type ModelLoader } from './registry.js';
import { loadSpec } from './spec.js';
import { allocateHandler, runAllocationBatch } from './routes/allocate.js';
import { kpiHandler, runKpiBatch } from './routes/kpi.js';
import { calibrateHandler } from './routes/kpi-calibrate.js';
import { DETECT_MAX_BODY_BYTES, detectHandler } from './routes/kpi-detect.js';
import { modelsHandler, tasksHandler } from './routes/catalogue.js';
import { liveHandler, readyHandler } from './routes/health.js';
import { assumeJsonWhenUntyped, inferHandler, modelMetadataHandler, modelReadyHandler, serverMetadataHandler } from './routes/inference-v2.js';

/** Body limit of POST /v1/kpi/calibrate when --max-body-bytes is smaller, bytes. */
export const CALIBRATION_MAX_BODY_BYTES = 4 * 1024 * 1024;

export interface CreateAppOptions {
  config?: Partial<AppConfig>;
  loaders?: ModelLoader[];
  logger?: Logger;
  metrics?: ServerMetrics;
}

/** Builds the context (registry empty, state 'loading'); call `loadModels` to fill it. */
export function createContext(opts: CreateAppOptions = {}): AppContext {
  const config: AppConfig = { ...DEFAULT_APP_CONFIG, ...opts.config };
  const logger = opts.logger ?? createLogger('info');
  const metrics = opts.metrics ?? createMetrics();
  const registry = new ModelRegistry(opts.loaders ?? [], logger, config.modelFileTimeoutMs);
  const ctx = { spec: loadSpec(), registry, config, logger, metrics, shuttingDown: false } as AppContext;
  const batchOptions = (kind: string) => ({
    maxBatchSize: config.maxBatchSize,
    maxQueueDelayUs: config.maxQueueDelayUs,
    maxQueueSize: config.maxQueueSize,
    onBatch: (info: { key: string; rows: number; requests: number; waitedUs: number }) => {
      const model = `${kind}:${info.key.split('\u0000')[0]}`;
      metrics.batchRows.observe({ model }, info.rows);
      metrics.batchRequests.observe({ model }, info.requests);
      metrics.queueWait.observe({ model }, info.waitedUs / 1e6);
    },
  });
  ctx.allocationBatcher = new DynamicBatcher<number[], number[]>((key, rows) => runAllocationBatch(ctx, key, rows), batchOptions('allocation'));
  ctx.kpiBatcher = new DynamicBatcher<number[][], KpiPrediction>((key, rows) => runKpiBatch(ctx, key, rows), batchOptions('kpi'));
  ctx.solverPool = new SolverPool(config.solverThreads);
  ctx.calibrationPool = new CalibrationPool();
  ctx.calibrations = pLimit(1);
  return ctx;
}

/** Loads and warms every model under `modelsDir` (null: none wanted), after sum-capacity lambda* (optional). */
export async function loadModels(ctx: AppContext, modelsDir: string | null): Promise<void> {
  const started = performance.now();
  if (ctx.config.precomputeLambdas) {
    // Served sizes of the exact sum-capacity solver: computed once, before readiness.
    // One size per event-loop turn, so liveness keeps answering meanwhile.
    for (const n of PAPER_SIZES) {
      optimalLambda(SUM_CAPACITY_DEFAULTS, n);
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  await ctx.registry.loadAll(modelsDir);
  for (const kind of ['allocation', 'interference', 'kpi'] as const) ctx.metrics.models.set({ kind }, ctx.registry.models.filter((m) => m.kind === kind).length);
  for (const m of ctx.registry.models) if (m.engine) ctx.metrics.modelEngine.set({ model: m.name, kind: m.kind, engine: m.engine }, 1);
  ctx.metrics.refused.set(ctx.registry.refused.length);
  ctx.logger.info({ ms: Math.round(performance.now() - started) }, 'ready');
}

const JSON_ROUTES: Array<[string, string]> = [
  ['/v1/allocate', 'POST'],
  ['/v1/kpi/predict', 'POST'],
  ['/v1/kpi/calibrate', 'POST'],
  ['/v1/kpi/detect', 'POST'],
  ['/v1/tasks', 'GET'],
  ['/v1/models', 'GET'],
  ['/v2/health/live', 'GET'],
  ['/v2/health/ready', 'GET'],
  ['/v2', 'GET'],
  ['/v2/models/:name', 'GET'],
  ['/v2/models/:name/ready', 'GET'],
  ['/v2/models/:name/infer', 'POST'],
  ['/v2/models/:name/versions/:version', 'GET'],
  ['/v2/models/:name/versions/:version/ready', 'GET'],
  ['/v2/models/:name/versions/:version/infer', 'POST'],
  ['/metrics', 'GET'],
  ['/openapi.json', 'GET'],
  ['/docs', 'GET'],
  ['/ui', 'GET'],
];

/**
 * Per-request bookkeeping in one middleware and one 'close' listener: metrics, the debug
 * log line, and the request timeout (503 timeout when no answer was sent in time; 408
 * request-timeout when the request's body itself had not arrived).
 */
function lifecycleMiddleware(ctx: AppContext): RequestHandler {
  const { requests, duration } = ctx.metrics;
  return (req, res, next) => {
    const start = process.hrtime.bigint();
    // Made only for requests that ask for it (heavy solves): an AbortController, and the
    // DOMException of its abort, cost more than a cheap request itself.
    let abort: AbortController | undefined;
    res.locals.signal = () => (abort ??= new AbortController()).signal;
    // Once no listener accepts connections, every answer closes its connection (one begun
    // earlier keeps it open: its client's next request on it gets this header).
    if (ctx.closingConnections) res.setHeader('Connection', 'close');
    const timer = setTimeout(() => {
      abort?.abort();
      if (res.headersSent) return;
      if (!req.complete) {
        // The client's fault, not the server's: its body never arrived in full. The rest of
        // it would be read as the next request, so the connection closes.
        const received = bodyBytesReceived(res);
        const declared = req.headers['content-length'];
        const bytes = received === undefined ? '' : ` (${received}${declared === undefined ? '' : ` of ${declared}`} bytes)`;
        res.setHeader('Connection', 'close');
        sendError(res, new ApiError('request-timeout', `body: not received within ${ctx.config.requestTimeoutMs} ms${bytes}`));
        return;
      }
      sendError(res, new ApiError('timeout', `no answer within ${ctx.config.requestTimeoutMs} ms`, undefined, { 'Retry-After': '1' }));
    }, ctx.config.requestTimeoutMs);
    res.once('close', () => {
      clearTimeout(timer);
      if (!res.writableFinished) abort?.abort(); // the client left before its answer
      const route = (req.route?.path as string | undefined) ?? (JSON_ROUTES.some(([p]) => p === req.path) ? req.path : 'unmatched');
      // The path only: a query string may hold a credential a client put there by mistake.
      const url = req.path;
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      const status = res.writableFinished ? String(res.statusCode) : 'aborted';
      requests.inc({ method: req.method, route, status });
      duration.observe({ method: req.method, route }, seconds);
      const expected = route === '/v2/health/ready' || ctx.shuttingDown;
      if ((res.statusCode >= 500 && !expected) || !res.writableFinished) ctx.logger.warn({ method: req.method, url, status, ms: seconds * 1000 }, 'request failed');
      else if (ctx.logger.isLevelEnabled('debug')) ctx.logger.debug({ method: req.method, url, status, ms: seconds * 1000 }, 'request');
    });
    next();
  };
}

/** Express app for `ctx`. Models load separately (loadModels) so readiness can be observed. */
export function createApp(ctx: AppContext): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');
  app.use(lifecycleMiddleware(ctx));
  // The server speaks plain HTTP (TLS belongs to a proxy in front): no
  // upgrade-insecure-requests, or browsers would fetch /docs assets over https.
  app.use(helmet({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } }));

  // Operations (never behind auth).
  app.get('/v2/health/live', liveHandler(ctx));
  app.get('/v2/health/ready', readyHandler(ctx));
  app.get('/metrics', async (_req, res) => {
    res.type(ctx.metrics.registry.contentType).send(await ctx.metrics.registry.metrics());
  });
  app.get('/openapi.json', (_req, res) => {
    res.type('application/json').send(ctx.spec.json);
  });
  app.use(docsRouter());
  app.use(uiRouter());

  // The API.
  if (ctx.config.apiToken) app.use(['/v1', '/v2/models'], bearerAuth(ctx.config.apiToken));
  app.use(['/v1', '/v2/models'], (req, _res, next) => {
    if (ctx.shuttingDown) return next(new ApiError('shutting-down', 'the server is shutting down; retry on another instance', undefined, { 'Retry-After': '1' }));
    next();
  });
  const json = jsonBody(ctx.config.maxBodyBytes);
  // A cell's history (up to 100,000 rows) needs more room than a request for predictions.
  // Parsed on a worker thread (routes/kpi-calibrate.ts).
  const calibrationJson = jsonBody(Math.max(ctx.config.maxBodyBytes, CALIBRATION_MAX_BODY_BYTES), { raw: true });
  app.post('/v1/allocate', ...json, allocateHandler(ctx));
  app.post('/v1/kpi/predict', ...json, kpiHandler(ctx));
  app.post('/v1/kpi/calibrate', ...calibrationJson, calibrateHandler(ctx));
  app.post('/v1/kpi/detect', ...jsonBody(Math.max(ctx.config.maxBodyBytes, DETECT_MAX_BODY_BYTES)), detectHandler(ctx));
  app.get('/v1/tasks', tasksHandler(ctx));
  app.get('/v1/models', modelsHandler(ctx));
  app.get('/v2', serverMetadataHandler(ctx));
  for (const model of ['/v2/models/:name', '/v2/models/:name/versions/:version']) {
    app.get(model, modelMetadataHandler(ctx));
    app.get(`${model}/ready`, modelReadyHandler(ctx));
    app.post(`${model}/infer`, assumeJsonWhenUntyped, ...json, inferHandler(ctx));
  }

  // Known paths with another method: 405; anything else: 404.
  for (const [path, method] of JSON_ROUTES) {
    app.all(path, (req, res, next) => {
      res.setHeader('Allow', method === 'GET' ? 'GET, HEAD' : method);
      next(new ApiError('method-not-allowed', `${req.method} ${path}: only ${method} is allowed`));
    });
  }
  app.use((req, _res, next) => next(new ApiError('not-found', `${req.method} ${req.path}: no such endpoint (see /docs)`)));

  app.use(errorHandler(ctx));
  return app;
}

/** Every error as problem+json: API and input errors as they are, body-parser errors by type, anything else a logged 500. */
function errorHandler(ctx: AppContext): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    if (res.headersSent) return;
    let apiErr: ApiError;
    const e = err as { type?: string; status?: number; message?: string; limit?: number };
    if (err instanceof ApiError) apiErr = err;
    else if (err instanceof InputError) apiErr = inputProblem(err);
    else if (e?.type === 'entity.too.large') apiErr = new ApiError('payload-too-large', `body: larger than the limit of ${e.limit ?? ctx.config.maxBodyBytes} bytes`);
    else if (e?.type === 'entity.parse.failed') apiErr = new ApiError('invalid-json', `body: not valid JSON (${String(e.message).replace(/\s+/g, ' ').slice(0, 200)})`);
    else if (e?.type === 'encoding.unsupported' || e?.type === 'charset.unsupported') apiErr = new ApiError('unsupported-media-type', `body: ${String(e.message)}`);
    else if (e?.type === 'request.aborted') apiErr = new ApiError('invalid-request', 'body: the client aborted the request');
    else if (req.headers['content-encoding'] && e?.status === 400) {
      // zlib / brotli: the body is not what its Content-Encoding says.
      apiErr = new ApiError('invalid-request', `body: not valid Content-Encoding ${req.headers['content-encoding']} data (${String(e.message)})`);
    }
    else {
      ctx.logger.error({ err, method: req.method, url: req.path }, 'internal error');
      apiErr = new ApiError('internal', 'an internal error occurred; it has been logged');
    }
    sendError(res, apiErr);
  };
}
