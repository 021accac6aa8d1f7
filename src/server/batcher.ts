/**
 * Dynamic batching (Triton's names): concurrent DNN requests for the same key (model and
 * task) wait at most `maxQueueDelayUs` microseconds, or until `maxBatchSize` rows are
 * queued, and then share ONE forward pass. With `maxQueueDelayUs` = 0 the queue is flushed
 * at the end of the current event-loop turn (setImmediate): every request whose bytes
 * arrived in the same turn still shares the pass, at no added latency.
 */

export interface BatcherOptions {
  /** Rows per forward pass at most (a request larger than this runs alone). */
  maxBatchSize: number;
  /** How long the first queued request may wait for others, microseconds. */
  maxQueueDelayUs: number;
  /** Rows queued per key at most; beyond it `submit` throws QueueFullError. */
  maxQueueSize: number;
  /** Called after every forward pass (metrics). */
  onBatch?: (info: { key: string; rows: number; requests: number; waitedUs: number }) => void;
}

export class QueueFullError extends Error {
  override name = 'QueueFullError';
}

interface Pending<I, R> {
  rows: I[];
  resolve: (value: R[]) => void;
  reject: (err: unknown) => void;
  enqueuedAt: number;
}

interface Queue<I, R> {
  pending: Pending<I, R>[];
  rows: number;
  timer?: NodeJS.Timeout | NodeJS.Immediate;
}

/** Runs `run(key, rows)` -> one result per row, batching rows (items I) of concurrent submits. */
export class DynamicBatcher<I, R> {
  private readonly queues = new Map<string, Queue<I, R>>();
  private inFlight = 0;
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly run: (key: string, rows: I[]) => Promise<R[]> | R[],
    readonly options: BatcherOptions,
  ) {}

  /** Queues `rows` under `key`; resolves with their results in order. */
  submit(key: string, rows: I[]): Promise<R[]> {
    let q = this.queues.get(key);
    if (!q) {
      q = { pending: [], rows: 0 };
      this.queues.set(key, q);
    }
    if (q.rows + rows.length > this.options.maxQueueSize && q.rows > 0) {
      return Promise.reject(new QueueFullError(`the inference queue for ${key} holds ${q.rows} rows (max_queue_size ${this.options.maxQueueSize})`));
    }
    return new Promise<R[]>((resolve, reject) => {
      const queue = q as Queue<I, R>;
      queue.pending.push({ rows, resolve, reject, enqueuedAt: performance.now() });
      queue.rows += rows.length;
      if (queue.rows >= this.options.maxBatchSize) this.flush(key);
      else if (!queue.timer) {
        const us = this.options.maxQueueDelayUs;
        queue.timer = us <= 0 ? setImmediate(() => this.flush(key)) : setTimeout(() => this.flush(key), us / 1000);
      }
    });
  }

  /** Resolves when no batch is queued or running (graceful shutdown). */
  idle(): Promise<void> {
    if (this.inFlight === 0 && [...this.queues.values()].every((q) => q.pending.length === 0)) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private flush(key: string): void {
    const q = this.queues.get(key);
    if (!q) return;
    if (q.timer) {
      clearTimeout(q.timer as NodeJS.Timeout);
      clearImmediate(q.timer as NodeJS.Immediate);
      q.timer = undefined;
    }
    while (q.pending.length > 0) {
      // Take whole requests up to maxBatchSize rows (at least one request).
      const take: Pending<I, R>[] = [];
      let rows = 0;
      while (q.pending.length > 0 && (take.length === 0 || rows + q.pending[0].rows.length <= this.options.maxBatchSize)) {
        const p = q.pending.shift() as Pending<I, R>;
        take.push(p);
        rows += p.rows.length;
      }
      q.rows -= rows;
      void this.runBatch(key, take, rows);
    }
    this.queues.delete(key);
  }

  private async runBatch(key: string, take: Pending<I, R>[], rows: number): Promise<void> {
    this.inFlight++;
    const started = performance.now();
    try {
      const input = take.length === 1 ? take[0].rows : take.flatMap((p) => p.rows);
      const out = await this.run(key, input);
      if (out.length !== rows) throw new Error(`batch for ${key}: ${out.length} results for ${rows} rows`);
      let at = 0;
      for (const p of take) {
        p.resolve(take.length === 1 ? out : out.slice(at, at + p.rows.length));
        at += p.rows.length;
      }
      this.options.onBatch?.({ key, rows, requests: take.length, waitedUs: (started - take[0].enqueuedAt) * 1000 });
    } catch (err) {
      for (const p of take) p.reject(err);
    } finally {
      this.inFlight--;
      if (this.inFlight === 0 && this.queues.size === 0) {
        const waiters = this.idleWaiters;
        this.idleWaiters = [];
        for (const w of waiters) w();
      }
    }
  }
}
