/**
 * Detection on the Open Inference Protocol: POST /v2/models/{kpi model}/infer with the parameter
 * `detect: true` takes one cell's series instead of windows and is answered by the
 * POST /v1/kpi/detect implementation (the protocol's way: a parameter selects the behaviour,
 * tensors carry the data). Inputs: `rows` [n, 3] FP32 or FP64 (raw RSRP dBm, RSRQ dB, SINR dB;
 * no missing values in this protocol) and optionally `timestamps` [n] FP64 or INT64 (epoch ms).
 * Parameters: `alerting` and `profile` as JSON text. Outputs: `interference_probability` and
 * `kpi_next` for rows window - 1 .. n - 1 (the rows with a window), `episodes` [e, 2] INT64
 * (first and last row) and `episode_probability` [e, 2] FP64 (peak and mean).
 */
import type { AppContext } from '../context.js';
import { ApiError } from '../errors.js';
import type { components } from '../generated/api.js';
import type { KpiServable } from '../registry.js';
import { detectKpi } from './kpi-detect.js';

type InferenceRequest = components['schemas']['InferenceRequest'];
type InferenceResponse = components['schemas']['InferenceResponse'];
type OutputTensor = components['schemas']['InferenceResponseOutput'];

const PARAMETERS = new Set(['detect', 'alerting', 'profile', 'binary_data_output']);
const OUTPUTS = ['interference_probability', 'kpi_next', 'episodes', 'episode_probability'];

/** A parameter holding JSON text, parsed; `what` says what it must be. */
function jsonParameter(parameters: NonNullable<InferenceRequest['parameters']>, name: string, what: string): object | undefined {
  const value = parameters[name];
  if (value === undefined) return undefined;
  try {
    const parsed: unknown = typeof value === 'string' ? JSON.parse(value) : undefined;
    if (parsed !== null && typeof parsed === 'object') return parsed;
  } catch {
    // reported below
  }
  throw new ApiError('invalid-request', `parameters/${name}: must be the JSON text of ${what}`);
}

/** The input `name` checked against its datatypes and shape (`n` rows), flat; undefined when absent and optional. */
function input(body: InferenceRequest, name: string, datatypes: string[], width: number | undefined, n?: number): unknown[] | undefined {
  const index = body.inputs.findIndex((x) => x.name === name);
  if (index < 0) return undefined;
  const { datatype, shape, data } = body.inputs[index];
  if (!datatypes.includes(datatype)) throw new ApiError('invalid-request', `inputs/${index}/datatype: ${name} must be ${datatypes.join(' or ')}, got ${datatype}`);
  const want = width === undefined ? `[${n ?? 'n'}]` : `[n, ${width}]`;
  const okShape = width === undefined ? shape.length === 1 && (n === undefined || shape[0] === n) : shape.length === 2 && shape[1] === width;
  if (!okShape) throw new ApiError('invalid-request', `inputs/${index}/shape: ${name} must have shape ${want}, got [${shape.join(', ')}]`);
  const flat = (data as unknown[]).flat(Infinity);
  const size = shape.reduce((a, b) => a * b, 1);
  if (flat.length !== size) throw new ApiError('invalid-request', `inputs/${index}/data: has ${flat.length} values but shape [${shape.join(', ')}] holds ${size}`);
  const missing = flat.findIndex((v) => typeof v !== 'number');
  if (missing >= 0) throw new ApiError('invalid-request', `inputs/${index}/data/${missing}: must be a number; the protocol has no missing values (POST /v1/kpi/detect takes null)`);
  return flat;
}

/** Answers an inference request with `parameters.detect` for the KPI model `model`. */
export async function inferDetect(ctx: AppContext, model: KpiServable, body: InferenceRequest): Promise<InferenceResponse> {
  const parameters = body.parameters ?? {};
  for (const key of Object.keys(parameters)) {
    if (!PARAMETERS.has(key)) throw new ApiError('invalid-request', `parameters/${key}: not a parameter of detection (it takes: detect, alerting, profile)`);
  }
  if (parameters.detect !== true) throw new ApiError('invalid-request', 'parameters/detect: must be true (leave it out to send windows)');
  body.inputs.forEach((x, i) => {
    if (x.name !== 'rows' && x.name !== 'timestamps') throw new ApiError('invalid-request', `inputs/${i}/name: detection takes the inputs rows and timestamps, not '${x.name}'`);
  });
  const flat = input(body, 'rows', ['FP32', 'FP64'], 3);
  if (!flat) throw new ApiError('invalid-request', "inputs: detection needs the input 'rows' [n, 3]");
  const rows = Array.from({ length: flat.length / 3 }, (_, i) => flat.slice(i * 3, i * 3 + 3));
  const timestamps = input(body, 'timestamps', ['FP64', 'INT64'], undefined, rows.length);
  const alerting = jsonParameter(parameters, 'alerting', 'an alerting rule ({"k", "pOn", "m", "pOff", "maxGapS"})');
  const profile = jsonParameter(parameters, 'profile', 'a profile from POST /v1/kpi/calibrate');
  const out = await detectKpi(ctx, { rows, model: model.name, ...(timestamps && { timestamps }), ...(alerting && { alerting }), ...(profile && { profile }) });
  const answered = out.interferenceProbability.slice(out.windowLength - 1) as number[];
  const all: OutputTensor[] = [
    { name: 'interference_probability', datatype: 'FP64', shape: [answered.length], data: answered },
    { name: 'kpi_next', datatype: 'FP64', shape: [answered.length, 3], data: out.forecast.slice(out.windowLength - 1).flat() as number[] },
    { name: 'episodes', datatype: 'INT64', shape: [out.episodes.length, 2], data: out.episodes.flatMap((e) => [e.start, e.end]) },
    { name: 'episode_probability', datatype: 'FP64', shape: [out.episodes.length, 2], data: out.episodes.flatMap((e) => [e.peakProbability, e.meanProbability]) },
  ];
  const wanted = (body.outputs ?? all).map(({ name }, i) => {
    if (!OUTPUTS.includes(name)) throw new ApiError('invalid-request', `outputs/${i}/name: detection has no output '${name}' (its outputs: ${OUTPUTS.join(', ')})`);
    return all.find((t) => t.name === name) as OutputTensor;
  });
  return { model_name: model.name, model_version: model.version, ...(body.id !== undefined ? { id: body.id } : {}), outputs: wanted };
}
