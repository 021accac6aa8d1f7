/**
 * POST /v1/kpi/calibrate's heavy half on a worker thread (piscina, one thread, started on first
 * use): parsing, validating and summarising a history of up to 100,000 rows held the event
 * loop for 50-200 ms per request, so liveness probes waited behind it. The event loop keeps
 * the forward passes (the model lives there) and rebuilds the history's windows a slice per turn.
 */
import { setImmediate } from 'node:timers/promises';
import { KpiInputError, type CalibrationInputs } from '../dnn/kpi/service.js';
import type { KpiServable } from '../dnn/kpi/servable.js';
import { ApiError } from './errors.js';
import type { CalibrationTask, CalibrationTaskResult } from './calibration-worker.js';
import { LazyWorkerPool } from './lazy-worker-pool.js';

/** History windows rebuilt per event-loop turn. */
const WINDOWS_PER_TURN = 256;

/** Rows [count, T, 3] of a flat row-major array, a slice per event-loop turn. */
async function nestWindows(flat: Float64Array, T: number): Promise<number[][][]> {
  const count = flat.length / (T * 3);
  const out: number[][][] = [];
  for (let b = 0; b < count; b++) {
    if (b > 0 && b % WINDOWS_PER_TURN === 0) await setImmediate();
    out.push(Array.from({ length: T }, (_, t) => Array.from(flat.subarray((b * T + t) * 3, (b * T + t + 1) * 3))));
  }
  return out;
}

export class CalibrationPool {
  private readonly pool = new LazyWorkerPool('calibration-worker', { minThreads: 0, maxThreads: 1, idleTimeout: 30_000 });

  /**
   * The calibration inputs of a raw /v1/kpi/calibrate body for one of `models` (the default
   * first), and the model's name (undefined: the body names no loaded model). Throws ApiError
   * (malformed body) or KpiInputError (rows outside the rules).
   */
  async inputs(body: Uint8Array, models: KpiServable[]): Promise<{ model?: string; inputs?: CalibrationInputs }> {
    const task: CalibrationTask = { body, models: models.map((m) => ({ name: m.name, version: m.version, windowLength: m.windowLength })) };
    const r = (await this.pool.get().run(task)) as CalibrationTaskResult;
    if (r.ok) {
      const next = Array.from({ length: r.next.length / 3 }, (_, i) => Array.from(r.next.subarray(i * 3, i * 3 + 3)));
      return { model: r.model, inputs: { profile: r.profile, history: { windows: await nestWindows(r.windows, r.windowLength), next } } };
    }
    if ('api' in r) throw new ApiError(r.api.code, r.api.detail, r.api.errors);
    if ('kpi' in r) throw new KpiInputError(r.kpi.kind, r.kpi.field, r.kpi.rule);
    return { model: r.model };
  }

  /** Ends the thread (after the running task). */
  close(): Promise<void> {
    return this.pool.close();
  }
}
