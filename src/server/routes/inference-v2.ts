/**
 * The Open Inference Protocol (KServe V2, REST) beside /v1: GET /v2 (server metadata),
 * GET /v2/models/{name} (model metadata), GET /v2/models/{name}/ready and
 * POST /v2/models/{name}/infer, each also under /v2/models/{name}/versions/{version}. Inference only translates: the input tensor becomes the /v1
 * request of the model's family, answered by the /v1 implementation (validation, domain
 * checks, dynamic batching, solver pool), and the /v1 answer becomes output tensors.
 */
import type { Request, RequestHandler, Response } from 'express';
import { PROBLEMS } from '../../solvers/params.js';
import { VERSION } from '../../version.js';
import { sendValidated, type AppContext } from '../context.js';
import { ApiError } from '../errors.js';
import type { AllocationServable, KpiServable, Servable } from '../registry.js';
import type { components } from '../generated/api.js';
import { allocate } from './allocate.js';
import { predictKpi } from './kpi.js';
import { inferDetect } from './inference-v2-detect.js';
import { interferenceFamily } from './inference-v2-interference.js';
import { validateBody } from './validate.js';

type Datatype = components['schemas']['InferenceDatatype'];
type MetadataTensor = components['schemas']['InferenceMetadataTensor'];
type ModelMetadata = components['schemas']['InferenceModelMetadata'];
type InferenceRequest = components['schemas']['InferenceRequest'];
type InferenceResponse = components['schemas']['InferenceResponse'];
type OutputTensor = components['schemas']['InferenceResponseOutput'];
type Parameters = NonNullable<InferenceRequest['parameters']>;

/** A model family's tensors and how they map onto its /v1 request and answer. */
export interface Family<M extends Servable> {
  platform: ModelMetadata['platform'];
  /** The one input; -1 marks a dimension of any size. */
  input(model: M): MetadataTensor;
  /** Datatypes accepted for the input, the declared one first. */
  accepts: Datatype[];
  /** The input's dimensions as told in errors, e.g. "[batch, N]". */
  shapeLabel(model: M): string;
  outputs: MetadataTensor[];
  /** Request parameters the family takes. */
  parameters: string[];
  metadataParameters(model: M): Parameters;
  /** `value`: the input, nested in its shape. All outputs, in the order of `outputs`. */
  infer(ctx: AppContext, res: Response, model: M, value: unknown[], parameters: Parameters): Promise<OutputTensor[]>;
}

const allocationFamily: Family<AllocationServable> = {
  platform: 'radio-mtl/allocation',
  input: () => ({ name: 'gains', datatype: 'FP64', shape: [-1, -1] }),
  accepts: ['FP64', 'FP32'],
  shapeLabel: () => '[batch, N]',
  outputs: [
    { name: 'power', datatype: 'FP64', shape: [-1, -1] },
    { name: 'objective', datatype: 'FP64', shape: [-1] },
    { name: 'solved_by', datatype: 'BYTES', shape: [-1] },
  ],
  parameters: ['problem'],
  metadataParameters: (m) => ({
    kind: 'allocation',
    scheme: m.scheme,
    ...Object.fromEntries(PROBLEMS.map((p) => [`sizes.${p}`, m.tasks.filter((t) => t.problem === p).map((t) => t.n).join(',')])),
  }),
  async infer(ctx, res, model, gains, parameters) {
    if (parameters.problem === undefined) throw new ApiError('invalid-request', `parameters/problem: is required (${PROBLEMS.join(' or ')})`);
    // Interference models answer problem "interference" under their own name.
    if (!(PROBLEMS as readonly unknown[]).includes(parameters.problem)) throw new ApiError('invalid-request', `problem: must be one of ${PROBLEMS.map((p) => `"${p}"`).join(', ')}`);
    const out = await allocate(ctx, res, { problem: parameters.problem, gains, solver: 'dnn', model: model.name });
    // A batch in, so every field of the answer is one per instance.
    const power = out.power as number[][];
    return [
      { name: 'power', datatype: 'FP64', shape: [power.length, out.n], data: power.flat() },
      { name: 'objective', datatype: 'FP64', shape: [power.length], data: out.objective as number[] },
      { name: 'solved_by', datatype: 'BYTES', shape: [power.length], data: out.solvedBy as string[] },
    ];
  },
};

const kpiFamily: Family<KpiServable> = {
  platform: 'radio-mtl/kpi',
  input: (m) => ({ name: 'windows', datatype: 'FP32', shape: [-1, m.windowLength, 3] }),
  // The model computes in FP32: FP64 (numpy's default) is rounded to it like FP32 data is.
  accepts: ['FP32', 'FP64'],
  shapeLabel: (m) => `[batch, ${m.windowLength}, 3]`,
  outputs: [
    { name: 'interference_probability', datatype: 'FP64', shape: [-1] },
    { name: 'kpi_next', datatype: 'FP64', shape: [-1, 3] },
    { name: 'extrapolated', datatype: 'BOOL', shape: [-1] },
  ],
  // `profile`: the calibration profile of /v1/kpi/calibrate as JSON text (the protocol's
  // parameters are strings, numbers and booleans).
  parameters: ['profile'],
  metadataParameters: (m) => ({ kind: 'kpi', architecture: m.architecture, window: m.windowLength, detect: 'parameter detect=true: input rows [n, 3] (+ timestamps [n]), see POST /v1/kpi/detect' }),
  async infer(ctx, _res, model, windows, parameters) {
    const p = (await predictKpi(ctx, { windows, model: model.name, ...profileParameter(parameters.profile) })).predictions;
    return [
      { name: 'interference_probability', datatype: 'FP64', shape: [p.length], data: p.map((x) => x.interferenceProbability) },
      { name: 'kpi_next', datatype: 'FP64', shape: [p.length, 3], data: p.flatMap((x) => [x.rsrp, x.rsrq, x.sinr]) },
      { name: 'extrapolated', datatype: 'BOOL', shape: [p.length], data: p.map((x) => x.extrapolated) },
    ];
  },
};

/** The `profile` parameter (JSON text) as the /v1 request's `profile` field. */
function profileParameter(value: string | number | boolean | undefined): { profile?: object } {
  if (value === undefined) return {};
  let profile: unknown;
  try {
    profile = typeof value === 'string' ? JSON.parse(value) : undefined;
  } catch {
    profile = undefined;
  }
  if (profile === null || typeof profile !== 'object') {
    throw new ApiError('invalid-profile', 'parameters/profile: must be the JSON text of a profile from POST /v1/kpi/calibrate');
  }
  return { profile };
}

function familyOf(model: Servable): Family<Servable> {
  const families = { allocation: allocationFamily, interference: interferenceFamily, kpi: kpiFamily };
  return families[model.kind] as Family<Servable>;
}

/** Path parameters of the model endpoints; `version` on the /versions/{version} paths. */
type ModelPath = { name: string; version?: string };

/**
 * The loaded model `name`, or 404 saying whether it is unknown, refused or not loaded yet.
 * A model has one version, the one it lists in its metadata (its weights' sha256 prefix, as
 * in GET /v1/models): any other version is a 404.
 */
function findModel(ctx: AppContext, { name, version }: ModelPath): Servable {
  const model = ctx.registry.byName(name);
  if (model && version !== undefined && version !== model.version) {
    throw new ApiError('not-found', `model '${name}' has no version '${version}' (it serves version ${model.version})`);
  }
  if (model) return model;
  const refused = ctx.registry.refused.find((r) => r.name === name);
  if (refused) throw new ApiError('not-found', `model '${name}' was refused at load: ${refused.reason}`);
  if (!ctx.registry.loaded) throw new ApiError('not-found', `model '${name}' is not loaded yet (models are still loading)`);
  throw new ApiError('not-found', `model '${name}' is not loaded (loaded: ${ctx.registry.models.map((m) => m.name).join(', ') || 'none'})`);
}

/**
 * Parameters of the protocol's binary tensor extension: accepted and answered as JSON, which
 * the protocol allows and its clients read.
 */
const BINARY_EXTENSION_PARAMETERS = new Set(['binary_data_output']);

function checkParameters(family: Family<Servable>, model: Servable, parameters: Parameters): void {
  for (const key of Object.keys(parameters)) {
    if (family.parameters.includes(key) || BINARY_EXTENSION_PARAMETERS.has(key)) continue;
    throw new ApiError('invalid-request', `parameters/${key}: not a parameter of model '${model.name}' (it takes: ${family.parameters.join(', ') || 'none'})`);
  }
}

/** The model's one input, checked against its name, datatype and shape, nested in its shape. */
function readInput(family: Family<Servable>, model: Servable, inputs: InferenceRequest['inputs']): unknown[] {
  const declared = family.input(model);
  let found: { index: number; input: InferenceRequest['inputs'][number] } | undefined;
  inputs.forEach((input, index) => {
    if (input.name !== declared.name) throw new ApiError('invalid-request', `inputs/${index}/name: model '${model.name}' has no input '${input.name}' (its inputs: ${declared.name})`);
    if (found) throw new ApiError('invalid-request', `inputs/${index}/name: input '${input.name}' is given twice`);
    found = { index, input };
  });
  if (!found) throw new ApiError('invalid-request', `inputs: model '${model.name}' needs the input '${declared.name}'`);
  const { index, input } = found;
  if (!family.accepts.includes(input.datatype)) {
    throw new ApiError('invalid-request', `inputs/${index}/datatype: ${declared.name} must be ${family.accepts.join(' or ')}, got ${input.datatype}`);
  }
  const { shape } = input;
  if (shape.length !== declared.shape.length || declared.shape.some((d, i) => d !== -1 && d !== shape[i])) {
    throw new ApiError('invalid-request', `inputs/${index}/shape: ${declared.name} must have shape ${family.shapeLabel(model)}, got [${shape.join(', ')}]`);
  }
  const flat = flatten(input.data as unknown[], shape.length, index);
  const size = shape.reduce((a, b) => a * b, 1);
  if (flat.length !== size) throw new ApiError('invalid-request', `inputs/${index}/data: has ${flat.length} values but shape [${shape.join(', ')}] holds ${size}`);
  // The protocol's tensors have no missing values: windows with gaps go to /v1, which fills them and says how many.
  const missing = flat.indexOf(null);
  if (missing >= 0) {
    const hint = model.kind === 'kpi' ? ' (POST /v1/kpi/predict takes null for a missing measurement)' : '';
    throw new ApiError('invalid-request', `inputs/${index}/data/${missing}: null is not an ${input.datatype} value; the protocol has no missing values${hint}`);
  }
  return nest(flat, shape);
}

/**
 * The values of `data` in row-major order, nested at most `rank` levels (the protocol's data is
 * flat or nested in its shape). Flat data is returned as is: Array#flat(Infinity) took 100-250 ms
 * on a 1 MiB body, and overflowed the stack on deep nesting.
 */
function flatten(data: unknown[], rank: number, index: number): unknown[] {
  if (!data.some(Array.isArray)) return data;
  const out: unknown[] = [];
  // Depth-first without recursion: (array, next index) per level.
  const stack: Array<[unknown[], number]> = [[data, 0]];
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    if (top[1] === top[0].length) {
      stack.pop();
      continue;
    }
    const value = top[0][top[1]++];
    if (!Array.isArray(value)) out.push(value);
    else if (stack.length >= rank) throw new ApiError('invalid-request', `inputs/${index}/data: nested deeper than the shape's ${rank} dimensions`);
    else stack.push([value, 0]);
  }
  return out;
}

/** Row-major `flat` as nested arrays of `shape` (its length is the shape's size). */
function nest(flat: unknown[], shape: number[]): unknown[] {
  if (shape.length === 1) return flat;
  const [outer, ...inner] = shape;
  const stride = inner.reduce((a, b) => a * b, 1);
  return Array.from({ length: outer }, (_, i) => nest(flat.slice(i * stride, (i + 1) * stride), inner));
}

/** The names of the requested outputs, in the order asked (default: all). */
function requestedOutputs(family: Family<Servable>, model: Servable, requested: InferenceRequest['outputs']): string[] {
  const names = family.outputs.map((t) => t.name);
  if (!requested) return names;
  return requested.map(({ name }, i) => {
    if (!names.includes(name)) throw new ApiError('invalid-request', `outputs/${i}/name: model '${model.name}' has no output '${name}' (its outputs: ${names.join(', ')})`);
    return name;
  });
}

export function serverMetadataHandler(ctx: AppContext) {
  return (_req: Request, res: Response): void => sendValidated(ctx, res, 'serverMetadata', 200, { name: 'radio-mtl', version: VERSION, extensions: [] });
}

export function modelMetadataHandler(ctx: AppContext) {
  return (req: Request<ModelPath>, res: Response): void => {
    const model = findModel(ctx, req.params);
    const family = familyOf(model);
    const body: ModelMetadata = {
      name: model.name,
      versions: [model.version],
      platform: family.platform,
      inputs: [family.input(model)],
      outputs: family.outputs,
      parameters: family.metadataParameters(model),
    };
    sendValidated(ctx, res, 'modelMetadata', 200, body);
  };
}

/** A loaded model is warmed up, so ready; any other name is a 404. */
export function modelReadyHandler(ctx: AppContext) {
  return (req: Request<ModelPath>, res: Response): void => sendValidated(ctx, res, 'modelReady', 200, { name: findModel(ctx, req.params).name, ready: true });
}

export function inferHandler(ctx: AppContext) {
  return async (req: Request<ModelPath>, res: Response): Promise<void> => {
    const model = findModel(ctx, req.params);
    const body = validateBody<InferenceRequest>(ctx, 'modelInfer', req.body);
    if (model.kind === 'kpi' && body.parameters?.detect !== undefined) return sendValidated(ctx, res, 'modelInfer', 200, await inferDetect(ctx, model, body));
    const family = familyOf(model);
    const parameters = body.parameters ?? {};
    checkParameters(family, model, parameters);
    const value = readInput(family, model, body.inputs);
    const wanted = requestedOutputs(family, model, body.outputs);
    const all = await family.infer(ctx, res, model, value, parameters);
    const outputs = wanted.map((name) => all.find((t) => t.name === name) as OutputTensor);
    const response: InferenceResponse = {
      model_name: model.name,
      model_version: model.version,
      ...(body.id !== undefined ? { id: body.id } : {}),
      outputs,
    };
    sendValidated(ctx, res, 'modelInfer', 200, response);
  };
}

/** Inference protocol clients (tritonclient's HTTP client) send JSON without a Content-Type: it is read as JSON. */
export const assumeJsonWhenUntyped: RequestHandler = (req, _res, next) => {
  if (!req.headers['content-type']) req.headers['content-type'] = 'application/json';
  next();
};
