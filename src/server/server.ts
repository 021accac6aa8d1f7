/**
 * Runs the HTTP server: listens first (liveness answers, readiness is false), then loads and
 * warms the models (readiness true). SIGTERM/SIGINT: readiness false, stop accepting, finish
 * in-flight requests and batches, close, exit 0; connections still busy after the grace
 * period are cut. `workers > 1` forks that many processes with node:cluster, sharing the port.
 */
import cluster from 'node:cluster';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger, LevelWithSilent } from 'pino';
import { createApp, createContext, loadModels } from './app.js';
import type { AppConfig, AppContext } from './context.js';
import { createLogger } from './logger.js';
import { createMetrics } from './metrics.js';
import type { ModelLoader } from './registry.js';
import { defaultLoaders } from './loaders.js';

export const DEFAULT_PORT = 8080;
export const DEFAULT_HOST = '127.0.0.1';

export interface ServeOptions {
  modelsDir: string;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  workers?: number;
  logLevel?: LevelWithSilent;
  /** Time given to in-flight requests after SIGTERM, ms. */
  shutdownGraceMs?: number;
  config?: Partial<AppConfig>;
  loaders?: ModelLoader[];
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
  const ctx = createContext({ config: opts.config, loaders: opts.loaders ?? (await defaultLoaders(logger)), logger, metrics: createMetrics({ labels: workerLabel }) });
  const app = createApp(ctx);
  const server = createServer({ keepAliveTimeout: 5_000, requestTimeout: 60_000, headersTimeout: 30_000 }, app);
  server.on('request', (_req, res) => {
    if (ctx.shuttingDown) res.setHeader('Connection', 'close');
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
      const timer = setTimeout(() => {
        logger.warn({ graceMs: grace }, 'grace period over: closing the remaining connections');
        server.closeAllConnections();
      }, grace);
      timer.unref();
      server.close(() => {
        clearTimeout(timer);
        void Promise.all([ctx.allocationBatcher.idle(), ctx.kpiBatcher.idle()]).then(() => {
          logger.info('shut down');
          resolve();
        });
      });
      server.closeIdleConnections();
    });
    return closing;
  };
  return { server, ctx, port, url, loaded, close };
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

/**
 * `radio-mtl serve`: one server, or with workers > 1 a cluster primary that forks the
 * workers, restarts one that dies unexpectedly, and relays SIGTERM to all of them.
 */
export async function serve(opts: ServeOptions): Promise<void> {
  const workers = opts.workers ?? 1;
  const logger = opts.logger ?? createLogger(opts.logLevel ?? 'info');
  if (workers > 1 && cluster.isPrimary) {
    let stopping = false;
    logger.info({ workers }, `starting ${workers} workers`);
    for (let i = 0; i < workers; i++) cluster.fork();
    cluster.on('exit', (worker, code, signal) => {
      if (stopping) return;
      logger.error({ worker: worker.id, code, signal }, 'worker died: starting another');
      cluster.fork();
    });
    const onSignal = (signal: NodeJS.Signals) => {
      stopping = true;
      logger.info({ signal }, `${signal} received: stopping the workers`);
      const alive = Object.values(cluster.workers ?? {}).filter((w) => w && !w.isDead());
      if (alive.length === 0) process.exit(0);
      let left = alive.length;
      for (const w of alive) {
        w?.once('exit', () => {
          if (--left === 0) process.exit(0);
        });
        w?.process.kill('SIGTERM');
      }
    };
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
    return;
  }
  const running = await startServer({ ...opts, logger });
  exitOnSignals(running, logger);
  await running.loaded.catch(() => undefined);
}
