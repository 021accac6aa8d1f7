/**
 * The worker-thread side of POST /v1/kpi/calibrate: the body's bytes in, parsed, validated
 * against openapi.yaml and turned into the calibration's inputs (the KPI service's
 * calibrationInputs: checks, statistics, history windows) here, so the server's event loop
 * never parses or walks a 100,000-row history. Errors come back as values: error classes do
 * not survive the trip between threads.
 */
import { calibrationInputs, KpiInputError } from '../dnn/kpi/service.js';
import type { KpiProfile } from '../measurements/inputs.js';
import { ApiError, type ErrorCode, type FieldError } from './errors.js';
import { loadSpec } from './spec.js';
import { validateBody } from './routes/validate.js';

export interface CalibrationModel {
  name: string;
  version: string;
  windowLength: number;
}

export interface CalibrationTask {
  body: Uint8Array;
  /** The loaded KPI models, the default first. */
  models: CalibrationModel[];
}

export type CalibrationTaskResult =
  | { ok: true; model: string; profile: KpiProfile; windowLength: number; windows: Float64Array; next: Float64Array }
  /** The body names no loaded model (or none is loaded): the server says which. */
  | { ok: false; model?: string }
  | { ok: false; api: { code: ErrorCode; detail: string; errors?: FieldError[] } }
  | { ok: false; kpi: { kind: KpiInputError['kind']; field: string; rule: string } };

function parse(body: Uint8Array): unknown {
  if (body.byteLength === 0) return undefined;
  try {
    return JSON.parse(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8'));
  } catch (err) {
    throw new ApiError('invalid-json', `body: not valid JSON (${String((err as Error).message).replace(/\s+/g, ' ').slice(0, 200)})`);
  }
}

function inputsOf(task: CalibrationTask): CalibrationTaskResult {
  const body = validateBody<{ model?: string; rows: unknown }>({ spec: loadSpec() }, 'calibrateKpi', parse(task.body));
  const model = body.model === undefined ? task.models[0] : task.models.find((m) => m.name === body.model);
  if (!model) return { ok: false, model: body.model };
  const { profile, history } = calibrationInputs(body.rows, model);
  const T = model.windowLength;
  const windows = new Float64Array(history.windows.length * T * 3);
  history.windows.forEach((w, b) => w.forEach((row, t) => windows.set(row, (b * T + t) * 3)));
  return { ok: true, model: model.name, profile, windowLength: T, windows, next: Float64Array.from(history.next.flat()) };
}

export default function calibrationTask(task: CalibrationTask): CalibrationTaskResult {
  try {
    return inputsOf(task);
  } catch (err) {
    if (err instanceof ApiError) return { ok: false, api: { code: err.code, detail: err.detail, errors: err.errors } };
    if (err instanceof KpiInputError) return { ok: false, kpi: { kind: err.kind, field: err.field, rule: err.rule } };
    throw err;
  }
}
