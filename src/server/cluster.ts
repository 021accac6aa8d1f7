/**
 * `serve --workers N`: the node:cluster primary and the one piece of coordination a graceful
 * shutdown needs. Under round-robin scheduling the primary owns the listening socket and it
 * closes only when the last worker closes its server; connections accepted meanwhile are
 * handed to the workers still listening, and any still queued at that last close are reset.
 * So a worker keeps its keep-alive connections open (answering 503 shutting-down) until every
 * worker has closed its server, and only then starts closing connections: clients do not
 * reconnect while a listener is still open.
 */
import cluster, { type Worker } from 'node:cluster';
import type { Logger } from 'pino';

const LISTENER_CLOSED = 'radio-mtl:listener-closed';
const ALL_LISTENERS_CLOSED = 'radio-mtl:all-listeners-closed';

/**
 * Call after closing this process's server: resolves once every worker's server is closed
 * (at once outside a cluster; after `timeoutMs` at most, should the primary not answer).
 */
export function allListenersClosed(timeoutMs: number): Promise<void> {
  if (!cluster.isWorker || !process.send) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      process.off('message', onMessage);
      resolve();
    };
    const onMessage = (msg: unknown) => {
      if (msg === ALL_LISTENERS_CLOSED) done();
    };
    const timer = setTimeout(done, timeoutMs);
    process.on('message', onMessage);
    process.send?.(LISTENER_CLOSED);
  });
}

/**
 * Forks `workers` workers, restarts one that dies unexpectedly, relays SIGTERM/SIGINT to
 * all, tells them when every listener is closed, and exits when they have all exited: 0
 * when every worker exited 0, else 1.
 */
export function runPrimary(workers: number, logger: Logger): void {
  let stopping = false;
  let failed = false;
  const closedListeners = new Set<number>();
  const alive = (): Worker[] => Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined && !w.isDead());
  const announceIfAllClosed = () => {
    const workersAlive = alive();
    if (!workersAlive.every((w) => closedListeners.has(w.id))) return;
    // A worker may be exiting already (its IPC channel closing): it needs no message then.
    for (const w of workersAlive) if (w.isConnected()) w.send(ALL_LISTENERS_CLOSED, undefined, () => undefined);
  };
  logger.info({ workers }, `starting ${workers} workers`);
  for (let i = 0; i < workers; i++) cluster.fork();
  cluster.on('message', (worker, msg) => {
    if (msg !== LISTENER_CLOSED) return;
    closedListeners.add(worker.id);
    announceIfAllClosed();
  });
  cluster.on('exit', (worker, code, signal) => {
    if (!stopping) {
      logger.error({ worker: worker.id, code, signal }, 'worker died: starting another');
      cluster.fork();
      return;
    }
    if (code !== 0) {
      failed = true;
      logger.error({ worker: worker.id, code, signal }, 'worker failed while shutting down');
    }
    if (alive().length === 0) process.exit(failed ? 1 : 0);
    announceIfAllClosed();
  });
  const onSignal = (signal: NodeJS.Signals) => {
    stopping = true;
    logger.info({ signal }, `${signal} received: stopping the workers`);
    const workersAlive = alive();
    if (workersAlive.length === 0) process.exit(0);
    for (const w of workersAlive) w.process.kill('SIGTERM');
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
}
