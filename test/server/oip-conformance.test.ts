/**
 * Conformance with the Open Inference Protocol's REST API (kserve/open-inference-protocol,
 * specification/protocol/inference_rest.md and open_inference_rest.yaml). The schemas below
 * are written here from the specification's text, independently of openapi.yaml (which the
 * server validates its own answers against), and every kind of answer is checked with them:
 * health, server metadata, model metadata, model readiness and inference on the unversioned
 * and the versioned paths, and the error object.
 */
import { Ajv } from 'ajv';
import request from 'supertest';
import { useFakeModelsApp } from './helpers.js';

/** "Tensor Data Types" of the specification. */
const DATATYPES = ['BOOL', 'UINT8', 'UINT16', 'UINT32', 'UINT64', 'INT8', 'INT16', 'INT32', 'INT64', 'FP16', 'FP32', 'FP64', 'BYTES'];
/** $parameters: names mapped to a string, number or boolean. */
const parameters = { type: 'object', additionalProperties: { type: ['string', 'number', 'boolean'] } };
/** $tensor_data: a JSON array, nested or flat, of numbers, strings or booleans. */
const tensorData = { $id: 'tensor_data', type: 'array', items: { anyOf: [{ $ref: 'tensor_data' }, { type: ['number', 'string', 'boolean'] }] } };
/** $metadata_tensor: shape dimensions are integers, -1 for a variable size. */
const metadataTensor = {
  type: 'object',
  required: ['name', 'datatype', 'shape'],
  properties: { name: { type: 'string' }, datatype: { enum: DATATYPES }, shape: { type: 'array', items: { type: 'integer', minimum: -1 } } },
};

const SCHEMAS = {
  live: { type: 'object', required: ['live'], properties: { live: { type: 'boolean' } } },
  // The text's $ready_server_response reads {"live": $bool} (a slip for "ready", what KServe and
  // Triton send); a readiness answer must at least say whether it is ready.
  ready: { type: 'object', required: ['ready'], properties: { ready: { type: 'boolean' } } },
  serverMetadata: {
    type: 'object',
    required: ['name', 'version', 'extensions'],
    properties: { name: { type: 'string' }, version: { type: 'string' }, extensions: { type: 'array', items: { type: 'string' } } },
  },
  modelMetadata: {
    type: 'object',
    required: ['name', 'platform', 'inputs', 'outputs'],
    properties: {
      name: { type: 'string' },
      versions: { type: 'array', items: { type: 'string' } },
      platform: { type: 'string' },
      inputs: { type: 'array', items: metadataTensor },
      outputs: { type: 'array', items: metadataTensor },
    },
  },
  modelReady: { type: 'object', required: ['name', 'ready'], properties: { name: { type: 'string' }, ready: { type: 'boolean' } } },
  inferenceResponse: {
    type: 'object',
    required: ['model_name', 'outputs'],
    properties: {
      model_name: { type: 'string' },
      model_version: { type: 'string' },
      id: { type: 'string' },
      parameters,
      outputs: {
        type: 'array',
        items: {
          type: 'object',
          required: ['name', 'shape', 'datatype', 'data'],
          // "Each dimension must be an integer representable as an unsigned 64-bit integer value."
          properties: { name: { type: 'string' }, shape: { type: 'array', items: { type: 'integer', minimum: 0 } }, datatype: { enum: DATATYPES }, parameters, data: { $ref: 'tensor_data' } },
        },
      },
    },
  },
  // "A failed ... request must be indicated by an HTTP error status (typically 400). The HTTP
  // body must contain the ... error response object": {"error": $string}.
  error: { type: 'object', required: ['error'], properties: { error: { type: 'string' } } },
} as const;

const ajv = new Ajv({ allErrors: true, strict: false });
ajv.addSchema(tensorData);
const validators = Object.fromEntries(Object.entries(SCHEMAS).map(([k, s]) => [k, ajv.compile(s)])) as Record<keyof typeof SCHEMAS, ReturnType<Ajv['compile']>>;

function conforms(kind: keyof typeof SCHEMAS, body: unknown): void {
  const validate = validators[kind];
  if (!validate(body)) throw new Error(`not a conforming ${kind}: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(body)}`);
}

/** An output tensor's data holds exactly the shape's element count, each of its datatype's JSON type. */
function tensorConsistent(output: { shape: number[]; datatype: string; data: unknown[] }): void {
  const flat = output.data.flat(Infinity);
  expect(flat).toHaveLength(output.shape.reduce((a, b) => a * b, 1));
  const type = output.datatype === 'BOOL' ? 'boolean' : output.datatype === 'BYTES' ? 'string' : 'number';
  for (const v of flat) expect(typeof v).toBe(type);
}

function conformingError(res: request.Response, status: number): void {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  conforms('error', res.body);
}

const t = useFakeModelsApp();
const app = () => t.app().app;
const version = (name: string) => (t.app().ctx.registry.byName(name) as { version: string }).version;

const ALLOCATION = {
  id: 'req-1',
  parameters: { problem: 'fdma-delay' },
  inputs: [{ name: 'gains', shape: [2, 5], datatype: 'FP64', data: [[0.8, 1.7, 0.3, 2.4, 1.1], [1.2, 0.4, 0.9, 0.1, 3.0]] }],
};
const WINDOW = [[-95, -11, 12], [-95.5, -11.2, 12.1], [-96, -11.5, 11], [-96.5, -11.4, 10]];
const KPI = { id: 'req-2', inputs: [{ name: 'windows', shape: [1, 4, 3], datatype: 'FP32', data: WINDOW.flat() }], outputs: [{ name: 'kpi_next' }] };

test('health: live and ready', async () => {
  const live = await request(app()).get('/v2/health/live');
  expect(live.status).toBe(200);
  conforms('live', live.body);
  const ready = await request(app()).get('/v2/health/ready');
  expect(ready.status).toBe(200);
  conforms('ready', ready.body);
  expect(ready.body.ready).toBe(true);
});

test.each(['/v2', '/v2/'])('server metadata at %s', async (path) => {
  const res = await request(app()).get(path);
  expect(res.status).toBe(200);
  conforms('serverMetadata', res.body);
});

test.each([
  ['alloc', false],
  ['alloc', true],
  ['kpi', false],
  ['kpi', true],
])('model %s (versioned path: %s): metadata, readiness and inference', async (name, versioned) => {
  const base = versioned ? `/v2/models/${name}/versions/${version(name)}` : `/v2/models/${name}`;
  const meta = await request(app()).get(base);
  expect(meta.status).toBe(200);
  conforms('modelMetadata', meta.body);
  expect(meta.body.name).toBe(name);
  // "versions": the versions that may be explicitly requested via the versioned endpoints.
  expect(meta.body.versions).toEqual([version(name)]);
  const ready = await request(app()).get(`${base}/ready`);
  expect(ready.status).toBe(200);
  conforms('modelReady', ready.body);
  expect(ready.body).toEqual({ name, ready: true });
  const body: { id: string; outputs?: Array<{ name: string }> } = name === 'alloc' ? ALLOCATION : KPI;
  const res = await request(app()).post(`${base}/infer`).send(body);
  expect(res.status).toBe(200);
  conforms('inferenceResponse', res.body);
  expect(res.body.model_name).toBe(name);
  expect(res.body.model_version).toBe(version(name));
  // "if specified this identifier must be returned in the response".
  expect(res.body.id).toBe(body.id);
  // Requested outputs only; otherwise every output the metadata declares.
  const names = body.outputs?.map((o) => o.name) ?? meta.body.outputs.map((o: { name: string }) => o.name);
  expect(res.body.outputs.map((o: { name: string }) => o.name)).toEqual(names);
  for (const output of res.body.outputs) {
    tensorConsistent(output);
    expect(output.datatype).toBe(meta.body.outputs.find((o: { name: string }) => o.name === output.name).datatype);
  }
});

test('errors: an error status and {"error": string} for unknown models and versions, bad requests, bad JSON and oversize bodies', async () => {
  conformingError(await request(app()).get('/v2/models/nope'), 404);
  conformingError(await request(app()).get('/v2/models/nope/ready'), 404);
  conformingError(await request(app()).get('/v2/models/alloc/versions/0'), 404);
  conformingError(await request(app()).get('/v2/models/alloc/versions/0/ready'), 404);
  conformingError(await request(app()).post('/v2/models/alloc/versions/0/infer').send(ALLOCATION), 404);
  conformingError(await request(app()).post('/v2/models/nope/infer').send(ALLOCATION), 404);
  for (const path of ['/v2/models/alloc/infer', `/v2/models/alloc/versions/${version('alloc')}/infer`]) {
    conformingError(await request(app()).post(path).send({ ...ALLOCATION, inputs: [{ ...ALLOCATION.inputs[0], datatype: 'INT8' }] }), 400);
    conformingError(await request(app()).post(path).send({ parameters: {} }), 400);
    conformingError(await request(app()).post(path).set('Content-Type', 'application/json').send('{"inputs": ['), 400);
    conformingError(await request(app()).post(path).set('Content-Type', 'application/json').send(`{"inputs": [], "pad": "${'x'.repeat(1.1 * 1024 * 1024)}"}`), 413);
  }
});

test('the schemas have teeth: a problem+json body, a negative output dimension and an unknown datatype do not conform', () => {
  expect(() => conforms('error', { type: 'urn:x', title: 'x', status: 400, detail: 'x' })).toThrow(/must have required property 'error'/);
  expect(() => conforms('inferenceResponse', { model_name: 'm', outputs: [{ name: 'a', shape: [-1], datatype: 'FP32', data: [1] }] })).toThrow(/shape/);
  expect(() => conforms('modelMetadata', { name: 'm', platform: 'p', inputs: [{ name: 'a', datatype: 'FLOAT', shape: [1] }], outputs: [] })).toThrow(/datatype/);
});
