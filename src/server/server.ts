/**
 * Runs the HTTP server: listens first (liveness answers, readiness is false), then loads and
 * warms the models (readiness true). SIGTERM/SIGINT: readiness false, stop accepting, finish
 * in-flight requests and batches, close, exit 0; connections still busy after the grace
 * period are cut. `workers > 1` forks that many processes with node:cluster, sharing the port.
 */
import cluster from 'node:cluster';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import net, { type AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { ApiError, problemBody, rawProblemResponse } from './errors.js';
import type { Logger, LevelWithSilent } from 'pino';
import { createApp, createContext, loadModels } from './app.js';
import type { AppConfig, AppContext } from './context.js';
import { createLogger } from './logger.js';
import { createMetrics } from './metrics.js';
import { DEFAULT_PORT } from '../settings.js';
import type { EngineOptions } from '../dnn/inference-engine.js';
import type { ModelLoader } from './registry.js';
import { defaultLoaders } from './loaders.js';
import { allListenersClosed, runPrimary } from './cluster.js';

export const DEFAULT_HOST = '127.0.0.1';
/**
 * How long an idle keep-alive connection stays open, ms. After SIGTERM an idle connection is
 * closed only when it would have timed out anyway: its client may be writing a request on
 * it right now (a slow or busy client can take this long between two requests).
 */
const KEEP_ALIVE_TIMEOUT_MS = 5_000;

export interface ServeOptions {
  /** Directory of models; null serves exact and ipm only (`serve --no-models`). */
  modelsDir: string | null;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  workers?: number;
  logLevel?: LevelWithSilent;
  /** Time given to in-flight requests after SIGTERM, ms. */
  shutdownGraceMs?: number;
  config?: Partial<AppConfig>;
  loaders?: ModelLoader[];
  /** Engine of the default loaders (ignored with `loaders`); default auto. */
  engine?: EngineOptions;
  logger?: Logger;
}

export interface RunningServer {
  server: Server;
  ctx: AppContext;
  port: number;
  url: string;
  /** Resolves when models are loaded and warmed up (readiness true). */
  loaded: Promise<void>;
  /** Graceful shutdown; resolves when every connection is closed. */
  close(reason?: string): Promise<void>;
}

export async function startServer(opts: ServeOptions): Promise<RunningServer> {
  const logger = opts.logger ?? createLogger(opts.logLevel ?? 'info');
  const workerLabel = cluster.isWorker ? { worker: String(cluster.worker?.id ?? 0) } : undefined;
  const ctx = createContext({ config: opts.config, loaders: opts.loaders ?? (await defaultLoaders(logger, opts.engine)), logger, metrics: createMetrics({ labels: workerLabel }) });
  const app = createApp(ctx);
  const server = createServer({ keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS, requestTimeout: 60_000, headersTimeout: 30_000 }, app);
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => answerClientError(err, socket));
  // Node answers an Expect it does not know (anything but 100-continue) with a bare 417.
  server.on('checkExpectation', (req: IncomingMessage, res: ServerResponse) => {
    const body = JSON.stringify(problemBody(new ApiError('expectation-failed', `Expect: '${String(req.headers.expect).slice(0, 100)}' is not supported (only 100-continue)`), req.url?.split('?')[0]));
    res.writeHead(417, { 'Content-Type': 'application/problem+json', 'Content-Length': Buffer.byteLength(body), Connection: 'close' });
    res.end(body);
  });
  const host = opts.host ?? DEFAULT_HOST;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? DEFAULT_PORT, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  if (ctx.config.apiToken) logger.info('auth enabled: /v1/* requires "Authorization: Bearer <token>" (RADIO_MTL_API_TOKEN)');
  else logger.warn(`auth disabled: RADIO_MTL_API_TOKEN is not set, /v1/* is open to anyone who can reach ${url}`);
  logger.info(
    {
      url,
      modelsDir: opts.modelsDir,
      maxBatchSize: ctx.config.maxBatchSize,
      maxQueueDelayUs: ctx.config.maxQueueDelayUs,
      maxBodyBytes: ctx.config.maxBodyBytes,
      requestTimeoutMs: ctx.config.requestTimeoutMs,
    },
    `listening on ${url} (docs: ${url}/docs); loading models`,
  );
  ctx.solverPool.warmUp();
  const loaded = loadModels(ctx, opts.modelsDir).catch((err: unknown) => {
    logger.error({ err }, 'loading models failed');
    throw err;
  });
  loaded.catch(() => undefined);

  let closing: Promise<void> | undefined;
  const close = (reason = 'close'): Promise<void> => {
    if (closing) return closing;
    ctx.shuttingDown = true;
    logger.info({ reason }, 'shutting down: finishing in-flight requests');
    const grace = opts.shutdownGraceMs ?? 10_000;
    closing = new Promise<void>((resolve) => {
      const graceTimer = setTimeout(() => {
        logger.warn({ graceMs: grace }, 'grace period over: closing the remaining connections');
        server.closeAllConnections();
      }, grace);
      graceTimer.unref();
      let idleTimer: NodeJS.Timeout | undefined;
      // Only the listening socket is closed here: http.Server#close would also drop idle
      // keep-alive connections at once, cutting a request a client is writing on one.
      net.Server.prototype.close.call(server, () => {
        clearTimeout(graceTimer);
        clearTimeout(idleTimer);
        void Promise.all([ctx.allocationBatcher.idle(), ctx.kpiBatcher.idle(), ctx.solverPool.close(), ctx.calibrationPool.close()]).then(() => {
          logger.info('shut down');
          resolve();
        });
      });
      void allListenersClosed(grace / 2).then(() => {
        // Every response now carries `Connection: close` (lifecycle middleware), so a busy
        // connection ends after its next answer; one still idle after the keep-alive timeout
        // is closed (its client sent nothing since before the signal).
        ctx.closingConnections = true;
        idleTimer = setTimeout(() => server.closeIdleConnections(), Math.min(KEEP_ALIVE_TIMEOUT_MS, grace));
        idleTimer.unref();
      });
    });
    return closing;
  };
  return { server, ctx, port, url, loaded, close };
}

/**
 * Errors of the HTTP parser, before express sees a request: answered as problem+json like
 * every other error (Node's default is a plain-text status line).
 */
function answerClientError(err: NodeJS.ErrnoException, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const problem =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? new ApiError('headers-too-large', 'headers: larger than the limit of 16 KiB')
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? new ApiError('request-timeout', 'the request was not received within the server timeout')
        : new ApiError('invalid-request', `not a valid HTTP/1.1 request (${err.code ?? 'parse error'}: ${String(err.message).slice(0, 120)})`);
  socket.end(rawProblemResponse(problem));
}

/** Exits the process after a graceful shutdown on SIGTERM or SIGINT. */
export function exitOnSignals(running: Pick<RunningServer, 'close'>, logger: Logger): void {
  const onSignal = (signal: NodeJS.Signals) => {
    logger.info({ signal }, `${signal} received`);
    void running.close(signal).then(() => process.exit(0));
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
}

/** `radio-mtl serve`: one server, or with workers > 1 a cluster primary (cluster.ts). */
export async function serve(opts: ServeOptions): Promise<void> {
  const workers = opts.workers ?? 1;
  const logger = opts.logger ?? createLogger(opts.logLevel ?? 'info');
  if (workers > 1 && cluster.isPrimary) {
    runPrimary(workers, logger);
    return;
  }
  const running = await startServer({ ...opts, logger });
  exitOnSignals(running, logger);
  await running.loaded.catch(() => undefined);
}
