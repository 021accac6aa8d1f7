/**
 * POST /v1/allocate with problem "interference": K x K gain matrices answered by a loaded
 * interference model through the interference service (src/dnn/interference/service.ts),
 * its forward passes batched across requests by the allocation batcher (key: model,
 * problem, K; one row: a flattened K x K matrix).
 */
import { allocateInterferenceWithModel, type InterferenceServable } from '../../dnn/interference/service.js';
import { NonFiniteOutputError, UnsupportedSizeError } from '../../dnn/allocation/service.js';
import type { AppContext } from '../context.js';

/** Submits flattened K x K matrices of one model to the batcher; powers per row. */
export type InterferenceSubmit = (model: string, k: number, rows: number[][]) => Promise<number[][]>;
import { ApiError, inputProblem } from '../errors.js';
import type { components } from '../generated/api.js';
import { InputError } from '../../input-error.js';

type AllocateRequest = components['schemas']['AllocateRequest'];
type AllocateResponse = components['schemas']['AllocateResponse'];

/** Powers [count * K] of one batched forward pass (rows: flattened K x K matrices). */
export async function runInterferenceBatch(model: InterferenceServable, k: number, rows: number[][]): Promise<number[][]> {
  const flat = new Float64Array(rows.length * k * k);
  rows.forEach((r, i) => flat.set(r, i * k * k));
  const power = await model.allocate(flat, rows.length, k);
  return rows.map((_, i) => Array.from(power.subarray(i * k, (i + 1) * k)));
}

function pickModel(ctx: AppContext, body: AllocateRequest): InterferenceServable {
  const models = ctx.registry.interferenceModels();
  const loaded = () => models.map((m) => m.name).join(', ') || 'none';
  if (body.model !== undefined) {
    const m = models.find((x) => x.name === body.model);
    if (!m) throw new ApiError('unknown-model', `model: no interference model named '${body.model}' is loaded (loaded: ${loaded()})`);
    return m;
  }
  if (models.length === 0) {
    if (!ctx.registry.loaded) throw new ApiError('model-not-loaded', 'problem interference: models are still loading; retry shortly', undefined, { 'Retry-After': '1' });
    throw new ApiError('model-not-loaded', 'problem interference: no interference model is loaded (see GET /v1/models for refused ones)', undefined, { 'Retry-After': '1' });
  }
  if (body.scheme !== undefined) {
    const m = models.find((x) => x.scheme === body.scheme);
    if (!m) throw new ApiError('unknown-model', `scheme: no loaded interference model uses scheme '${body.scheme}' (loaded: ${loaded()})`);
    return m;
  }
  return models.find((x) => x.scheme === 'routed') ?? models[0];
}

/** The /v1/allocate answer for problem "interference" (the body already matched the schema). */
export async function allocateInterferenceRequest(ctx: AppContext, body: AllocateRequest, started: number, submit: InterferenceSubmit): Promise<AllocateResponse> {
  const solver = body.solver ?? 'dnn';
  if (solver !== 'dnn') {
    throw new ApiError('unsupported-solver', `solver: problem interference is answered by solver dnn (a loaded interference model); WMMSE runs in the CLI (radio-mtl solve --problem interference), not '${solver}'`);
  }
  const model = pickModel(ctx, body);
  const gains = body.gains as unknown[];
  const batch = Array.isArray(gains[0]) && (gains[0] as unknown[]).some(Array.isArray);
  let answer;
  try {
    answer = await allocateInterferenceWithModel(model, gains, {
      fieldStyle: 'pointer',
      dnn: async (b) => {
        const rows = Array.from({ length: b.count }, (_, i) => Array.from(b.gains.subarray(i * b.k * b.k, (i + 1) * b.k * b.k)));
        return Float64Array.from((await submit(model.name, b.k, rows)).flat());
      },
    });
  } catch (err) {
    if (err instanceof UnsupportedSizeError) throw inputProblem(err, 'unsupported-size');
    if (err instanceof InputError) throw inputProblem(err, 'invalid-gains');
    if (err instanceof NonFiniteOutputError) throw new ApiError('non-finite-output', err.message);
    throw err;
  }
  ctx.metrics.allocations.inc({ solver, problem: 'interference' }, answer.power.length);
  const zeros = answer.power.map(() => 0);
  return {
    problem: 'interference',
    solver,
    model: model.name,
    n: answer.k,
    batch,
    power: batch ? answer.power : answer.power[0],
    objective: batch ? answer.sumRate : answer.sumRate[0],
    constraintViolation: batch ? zeros : 0,
    solvedBy: batch ? answer.power.map(() => 'dnn' as const) : 'dnn',
    elapsedMs: performance.now() - started,
  };
}
