/** @jest-environment ./test/onnx/ort-environment.js */
/** POST /v1/allocate with problem "interference", /v2 for interference models, and the catalogue listing them. */
import { join } from 'node:path';
import request from 'supertest';
import { interferenceGains } from '../../../src/channels/interference.js';
import { makeInterferenceLoader } from '../../../src/server/loaders.js';
import { allocateInterferenceWithModel } from '../../../src/dnn/interference/service.js';
import { seededUniform } from '../../../src/random.js';
import { sumRateOf } from '../../../src/solvers/interference-objective.js';
import { INTERFERENCE_DEFAULTS } from '../../../src/solvers/params.js';
import { makeTempDir } from '../../helpers/tmp.js';
import { saveTinyInterferenceModel } from '../../helpers/interference-model.js';
import { expectMatchesContract, makeApp, type TestApp } from '../helpers.js';

let tmp: ReturnType<typeof makeTempDir>;
let t: TestApp;

beforeAll(async () => {
  tmp = makeTempDir();
  await saveTinyInterferenceModel(join(tmp.dir, 'ic'));
  t = await makeApp(tmp.dir, {}, true, [makeInterferenceLoader()]);
});
afterAll(() => tmp.cleanup());

const matrices = (count: number, k: number, seed = 'api') => {
  const g = interferenceGains(seededUniform(seed), count, k, INTERFERENCE_DEFAULTS);
  return Array.from({ length: count }, (_, s) => Array.from({ length: k }, (_, r) => Array.from(g.subarray((s * k + r) * k, (s * k + r + 1) * k))));
};
const post = (body: object) => request(t.app).post('/v1/allocate').send(body);

describe('POST /v1/allocate, problem interference', () => {
  it('one K x K matrix: powers in [0, Pmax] and their sum rate, as the interference service answers', async () => {
    const [gains] = matrices(1, 4);
    const res = await post({ problem: 'interference', gains });
    expect(res.status).toBe(200);
    expectMatchesContract('allocate', 200, res.body);
    expect(res.body).toMatchObject({ problem: 'interference', solver: 'dnn', model: 'ic', n: 4, batch: false, constraintViolation: 0, solvedBy: 'dnn' });
    const power = res.body.power as number[];
    expect(power).toHaveLength(4);
    for (const p of power) expect(p >= 0 && p <= INTERFERENCE_DEFAULTS.maxPowerW).toBe(true);
    expect(res.body.objective).toBeCloseTo(sumRateOf(gains.flat(), 4, power, INTERFERENCE_DEFAULTS.noisePowerW), 12);
    const model = t.ctx.registry.interferenceModels()[0];
    const direct = await allocateInterferenceWithModel(model, gains);
    expect(power).toEqual(direct.power[0]);
  });

  it('a batch: one answer per matrix, each equal to the matrix sent alone (batching changes nothing)', async () => {
    const gains = matrices(3, 5, 'batch');
    const res = await post({ problem: 'interference', gains });
    expect(res.status).toBe(200);
    expectMatchesContract('allocate', 200, res.body);
    expect(res.body).toMatchObject({ n: 5, batch: true, constraintViolation: [0, 0, 0], solvedBy: ['dnn', 'dnn', 'dnn'] });
    const alone = await post({ problem: 'interference', gains: gains[1] });
    expect(alone.body.power).toEqual(res.body.power[1]);
  });

  it.each([
    ['not square', [[1, 0.1, 0.2], [0.1, 1, 0.3]], 422, 'invalid-gains', '/gains/0', 'has 3 gains but the matrix has 2 rows'],
    ['a negative gain', [[1, -0.1, 0], [0.1, 1, 0], [0, 0, 1]], 422, 'invalid-gains', '/gains/0/1', '>= 0'],
    ['K below the trained range', [[1, 0.1], [0.1, 1]], 422, 'unsupported-size', '/gains', 'K = 2 pairs is outside the range'],
    ['K above the trained range', matrices(1, 6)[0], 422, 'unsupported-size', '/gains', 'K from 3 to 5'],
    ['matrices of different K in a batch', [matrices(1, 3)[0], matrices(1, 4)[0]], 422, 'invalid-gains', '/gains/1', 'the same K'],
  ])('%s: %i %s naming the field', async (_label, gains, status, code, field, rule) => {
    const res = await post({ problem: 'interference', gains });
    expect(res.status).toBe(status);
    expect(res.body.code).toBe(code);
    expect(res.body.errors?.[0]?.field ?? '').toBe(field);
    expect(res.body.detail).toContain(rule);
  });

  it('a non-number gain is a 400 naming it; a solver other than dnn is refused', async () => {
    const bad = await post({ problem: 'interference', gains: [[1, 'x', 0], [0, 1, 0], [0, 0, 1]] });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.errors)).toContain('/gains');
    const exact = await post({ problem: 'interference', solver: 'exact', gains: matrices(1, 3)[0] });
    expect(exact.status).toBe(422);
    expect(exact.body.code).toBe('unsupported-solver');
  });

  it('K x K matrices for another problem are refused, naming the problem they belong to', async () => {
    const res = await post({ problem: 'sum-capacity', solver: 'exact', gains: matrices(2, 3) });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('invalid-gains');
    expect(res.body.detail).toContain('K x K matrices are for problem interference');
  });
});

describe('interference models in the catalogue and on /v2', () => {
  it('/v1/models and /v1/tasks list the model and its K', async () => {
    const models = await request(t.app).get('/v1/models');
    expectMatchesContract('listModels', 200, models.body);
    expect(models.body.models[0]).toMatchObject({ name: 'ic', kind: 'interference', scheme: 'routed', channel: 'gaussian', tasks: [{ problem: 'interference', n: 3 }, { problem: 'interference', n: 5 }] });
    const tasks = await request(t.app).get('/v1/tasks');
    expect(tasks.body.tasks.filter((x: { problem: string }) => x.problem === 'interference')).toEqual([
      { problem: 'interference', n: 3, solvers: ['dnn'], models: ['ic'] },
      { problem: 'interference', n: 5, solvers: ['dnn'], models: ['ic'] },
    ]);
  });

  it('/v2 metadata and infer: gains [batch, K, K] in, the /v1 answer out as power and sum_rate', async () => {
    const meta = await request(t.app).get('/v2/models/ic');
    expect(meta.status).toBe(200);
    expect(meta.body).toMatchObject({ platform: 'radio-mtl/interference', inputs: [{ name: 'gains', datatype: 'FP64', shape: [-1, -1, -1] }] });
    const gains = matrices(2, 4, 'v2');
    const res = await request(t.app)
      .post('/v2/models/ic/infer')
      .send({ inputs: [{ name: 'gains', datatype: 'FP64', shape: [2, 4, 4], data: gains.flat(2) }] });
    expect(res.status).toBe(200);
    const v1 = await post({ problem: 'interference', gains });
    expect(res.body.outputs).toEqual([
      { name: 'power', datatype: 'FP64', shape: [2, 4], data: v1.body.power.flat() },
      { name: 'sum_rate', datatype: 'FP64', shape: [2], data: v1.body.objective },
    ]);
    const square = await request(t.app)
      .post('/v2/models/ic/infer')
      .send({ inputs: [{ name: 'gains', datatype: 'FP64', shape: [1, 4], data: [1, 2, 3, 4] }] });
    expect(square.status).toBe(400);
    expect(square.body.error).toContain('inputs/0/shape: gains must have shape [batch, K, K]');
  });
});
