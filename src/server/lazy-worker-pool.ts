/**
 * A piscina pool of one worker module beside this file, started on first use and closed once:
 * the solver and calibration pools share this lifecycle.
 */
import { Piscina } from 'piscina';

/** The worker module: .ts when running from the sources (tsx, ts-jest), else .js. */
function workerFile(name: string): { filename: string; execArgv: string[] } {
  const fromSources = import.meta.url.endsWith('.ts');
  const filename = new URL(`./${name}${fromSources ? '.ts' : '.js'}`, import.meta.url).href;
  const hasTsx = process.execArgv.some((a, i) => a === 'tsx' && process.execArgv[i - 1] === '--import');
  return { filename, execArgv: fromSources && !hasTsx ? [...process.execArgv, '--import', 'tsx'] : process.execArgv };
}

export class LazyWorkerPool {
  private pool: Piscina | undefined;

  constructor(
    private readonly worker: string,
    private readonly threads: { minThreads: number; maxThreads: number; idleTimeout?: number },
  ) {}

  /** The running pool, started now if it is not (a thread stopped by an abort is replaced by piscina). */
  get(): Piscina {
    if (!this.pool) this.pool = new Piscina({ ...workerFile(this.worker), ...this.threads });
    return this.pool;
  }

  /** Ends the threads (after the running tasks); a later get() starts new ones. */
  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    await pool?.close();
  }
}
