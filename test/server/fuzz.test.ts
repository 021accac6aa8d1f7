/**
 * Fuzzing the API as a careless or hostile client would, with the shipped models: bodies
 * drawn from the shapes of openapi.yaml's request schemas with number edge cases
 * (0, -0, subnormals, the domain bounds, 1e308, negatives), wrong types and unknown fields,
 * and arbitrary JSON. Fixed seed, a few hundred requests. No answer is a 5xx, every error
 * is problem+json, and every answer matches the contract.
 */
import fc from 'fast-check';
import request from 'supertest';
import { defaultLoaders } from '../../src/server/loaders.js';
import { GAIN_MAX, GAIN_MIN_FDMA_DELAY } from '../../src/solvers/gain-domain.js';
import { captureLogger, expectMatchesContract, makeApp, type TestApp } from './helpers.js';

let t: TestApp;

beforeAll(async () => {
  t = await makeApp('models', {}, true, await defaultLoaders(captureLogger().logger));
  expect(t.ctx.registry.models.map((m) => m.name)).toEqual(['allocation-routed', 'interference-routed', 'kpi-ple']);
});

const EDGE_NUMBERS = [0, -0, 5e-324, 1e-300, 9.99e-13, GAIN_MIN_FDMA_DELAY, 1e-7, 0.3, 1, 16.2, 1e6, GAIN_MAX, 1.0000001e12, 1e300, 1.7976931348623157e308, -1, -1e300];
const KPI_NUMBERS = [-156, -155.9, -95, -31, -30.9, -43, -11, 20, 20.1, -23, 12, 40, 40.1, 0, 1e6, -1e6, 1e300];

const junk = fc.oneof(fc.string(), fc.constant(null), fc.boolean(), fc.constant([]), fc.constant({}));
/** An edge case, any double at all, or a value of the wrong type. */
const odd = (edges: number[]) => fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...edges) }, { weight: 3, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) }, { weight: 1, arbitrary: junk });
/** An optional field: absent `absentWeight` times in `absentWeight + 1`. */
const sometimes = <T>(arb: fc.Arbitrary<T>, absentWeight = 3) => fc.oneof({ weight: absentWeight, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: arb });
/** `len` ordinary values, of which now and then (1 in `1 + rarity`) one is replaced by an odd one. */
const mostlyOrdinary = (len: number, ordinary: fc.Arbitrary<unknown>, oddValue: fc.Arbitrary<unknown>, rarity = 1) =>
  fc.tuple(fc.array(ordinary, { minLength: len, maxLength: len }), sometimes(fc.tuple(fc.nat(), oddValue), rarity)).map(([values, swap]) => {
    if (swap && values.length > 0) values[swap[0] % values.length] = swap[1];
    return values;
  });

const vector = (n: fc.Arbitrary<number>) => n.chain((len) => mostlyOrdinary(len, fc.double({ min: 0.01, max: 10, noNaN: true }), odd(EDGE_NUMBERS)));
const size = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(5, 8, 10, 12, 15, 18, 20) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 30 }) });
/** A value of the right type most of the time. */
const mostly = <T>(arb: fc.Arbitrary<T>) => fc.oneof({ weight: 15, arbitrary: arb }, { weight: 1, arbitrary: junk });

const allocateBody = fc.record({
  problem: mostly(fc.constantFrom('fdma-delay', 'sum-capacity', 'interference')),
  solver: sometimes(mostly(fc.constantFrom('dnn', 'exact', 'ipm'))),
  gains: mostly(fc.oneof(vector(size), size.chain((n) => fc.array(vector(fc.constant(n)), { minLength: 1, maxLength: 4 })))),
  scheme: sometimes(fc.constantFrom('routed', 'naive', 'x')),
  model: sometimes(fc.constantFrom('allocation-routed', 'interference-routed', 'kpi-ple', 'nope')),
  extra: sometimes(fc.integer(), 30),
});

const measurement = fc.tuple(fc.double({ min: -120, max: -60, noNaN: true }), fc.double({ min: -20, max: -3, noNaN: true }), fc.double({ min: -5, max: 30, noNaN: true }));
const window = fc.oneof({ weight: 6, arbitrary: fc.constant(35) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 40 }) }).chain((len) =>
  fc.tuple(mostlyOrdinary(len, measurement, fc.oneof(fc.array(odd(KPI_NUMBERS), { maxLength: 4 }), junk), 8), sometimes(fc.tuple(fc.nat(), fc.nat(2), odd(KPI_NUMBERS)), 2)).map(([rows, swap]) => {
    const r = rows as unknown[][];
    // Now and then one value of one row is odd.
    if (swap && r.length > 0 && Array.isArray(r[swap[0] % r.length])) r[swap[0] % r.length][swap[1]] = swap[2];
    return r;
  }),
);
const kpiBody = fc.record({
  windows: mostly(fc.array(window, { minLength: 1, maxLength: 3 })),
  model: sometimes(fc.constantFrom('kpi-ple', 'allocation-routed', 'nope')),
  scaler: sometimes(fc.constantFrom('pooled', 'nope')),
  extra: sometimes(fc.integer(), 30),
});

async function expectWellBehaved(path: string, operationId: string, body: string): Promise<void> {
  const res = await request(t.app).post(path).set('Content-Type', 'application/json').send(body);
  if (res.status >= 500) throw new Error(`${res.status} for ${body.slice(0, 300)}: ${JSON.stringify(res.body)}`);
  if (res.status >= 400) expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expectMatchesContract(operationId, res.status, res.body);
}

const RUNS = { seed: 20261129, numRuns: 150 };

test('POST /v1/allocate: schema-shaped bodies with edge numbers', async () => {
  await fc.assert(fc.asyncProperty(allocateBody, (body) => expectWellBehaved('/v1/allocate', 'allocate', JSON.stringify(body))), RUNS);
}, 120_000);

test('POST /v1/kpi/predict: schema-shaped bodies with edge numbers', async () => {
  await fc.assert(fc.asyncProperty(kpiBody, (body) => expectWellBehaved('/v1/kpi/predict', 'predictKpi', JSON.stringify(body))), { ...RUNS, numRuns: 100 });
}, 120_000);

test('both endpoints: arbitrary JSON', async () => {
  await fc.assert(
    fc.asyncProperty(fc.json(), fc.boolean(), async (text, kpi) => expectWellBehaved(kpi ? '/v1/kpi/predict' : '/v1/allocate', kpi ? 'predictKpi' : 'allocate', text)),
    { ...RUNS, numRuns: 100 },
  );
}, 120_000);
