/**
 * Client numbers at and beyond the edges of the input domain, for every problem x solver
 * and for KPI windows: never a 5xx, never a non-finite or silently wrong answer; outside
 * the domain a 4xx problem+json naming the field; openapi.yaml states the code's bounds.
 */
import { join } from 'node:path';
import request from 'supertest';
import { GAIN_MAX, GAIN_MIN_FDMA_DELAY, gainRange } from '../../src/solvers/gain-domain.js';
import { solveBatch } from '../../src/solvers/solve-batch.js';
import { MEASUREMENT_RANGES } from '../../src/measurements/domain.js';
import { loadSpec } from '../../src/server/spec.js';
import { DEFAULT_ALLOCATION_PARAMS } from '../../src/dnn/allocation/tasks.js';
import { trustedGainRange } from '../../src/dnn/allocation/trusted-inputs.js';
import { makeTempDir } from '../helpers/tmp.js';
import { expectMatchesContract, makeApp, saveFakeAllocationModel, saveFakeKpiModel, type TestApp } from './helpers.js';

let tmp: ReturnType<typeof makeTempDir>;
let t: TestApp;

beforeAll(async () => {
  tmp = makeTempDir();
  await saveFakeAllocationModel(join(tmp.dir, 'alloc'), { sizes: [5] });
  await saveFakeKpiModel(join(tmp.dir, 'kpi'), 4);
  t = await makeApp(tmp.dir);
});
afterAll(() => tmp.cleanup());

const EDGES = [0, -0, 5e-324, 1e-300, 9.99e-13, GAIN_MIN_FDMA_DELAY, 1e-7, 16, 1e6, GAIN_MAX, 1.0000001e12, 1e300, 1.7976931348623157e308];
const PROBLEMS = ['fdma-delay', 'sum-capacity'] as const;
const SOLVERS = ['dnn', 'exact', 'ipm'] as const;

/** The documented answer for one edge value in a row of otherwise ordinary gains. */
function expected(problem: (typeof PROBLEMS)[number], solver: (typeof SOLVERS)[number], g: number): [number, string | null] {
  if (g > GAIN_MAX) return [422, 'invalid-gains'];
  if (problem === 'sum-capacity' && solver === 'ipm') return [422, 'unsupported-solver'];
  if (g < gainRange(problem).min) return [422, 'invalid-gains'];
  return [200, null];
}

describe('allocation gains at the edges of the domain', () => {
  const cases = PROBLEMS.flatMap((problem) => SOLVERS.flatMap((solver) => EDGES.flatMap((g) => ['one', 'all'].map((where) => [problem, solver, g, where] as const))));
  test.each(cases)('%s %s gain %p (%s)', async (problem, solver, g, where) => {
    const gains = where === 'all' ? Array(5).fill(g) : [g, 1.7, 0.3, 2.4, 1.1];
    const res = await request(t.app).post('/v1/allocate').send({ problem, solver, gains });
    const [status, code] = expected(problem, solver, g);
    expect([res.status, res.body.code ?? null]).toEqual([status, code]);
    expectMatchesContract('allocate', status, res.body);
    if (status !== 200) {
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      if (code !== 'unsupported-solver') expect(res.body.errors[0].field).toBe('/gains/0');
      return;
    }
    expect(Number.isFinite(res.body.objective)).toBe(true);
    for (const p of res.body.power) expect(Number.isFinite(p) && p >= 0).toBe(true);
    if (solver !== 'dnn') {
      const ref = solveBatch(problem, 'exact', [gains]).objective[0];
      expect(Math.abs(res.body.objective - ref)).toBeLessThanOrEqual(1e-8 * ref);
    }
  });
});

describe('dnn outside the range it was trained on', () => {
  test('a row with one gain of 1e6 gets the exact optimum, flagged; its neighbours in the batch stay with the dnn', async () => {
    const far = [1, 2, 3, 4, 1e6];
    for (const problem of PROBLEMS) {
      const res = await request(t.app).post('/v1/allocate').send({ problem, gains: [[0.8, 1.7, 0.3, 2.4, 1.1], far] });
      expect(res.status).toBe(200);
      expectMatchesContract('allocate', 200, res.body);
      expect(res.body.solvedBy).toEqual(['dnn', 'exact']);
      const exact = solveBatch(problem, 'exact', [far]);
      res.body.power[1].forEach((p: number, i: number) => expect(p).toBeCloseTo(exact.power[0][i], 12));
      expect(res.body.objective[1]).toBeCloseTo(exact.objective[0], 12);
    }
    const one = await request(t.app).post('/v1/allocate').send({ problem: 'fdma-delay', gains: far });
    expect(one.body.solvedBy).toBe('exact');
    const typical = await request(t.app).post('/v1/allocate').send({ problem: 'fdma-delay', gains: [0.8, 1.7, 0.3, 2.4, 1.1] });
    expect(typical.body.solvedBy).toBe('dnn');
  });

  test('a zero sum-capacity gain (no channel) is answered by the exact solver', async () => {
    const res = await request(t.app).post('/v1/allocate').send({ problem: 'sum-capacity', gains: [1, 0, 2, 3, 4] });
    expect(res.status).toBe(200);
    expect(res.body.solvedBy).toBe('exact');
    expect(res.body.power[1]).toBe(0);
  });
});

describe('KPI windows at the edges of the 3GPP reporting ranges', () => {
  const row = [-95, -11, 12];
  const windowWith = (column: number, value: number) => [row, row, row, row.map((v, j) => (j === column ? value : v))];
  const cases = [0, 1, 2].flatMap((column) => {
    const [lo, hi] = MEASUREMENT_RANGES[column].range;
    return [
      [column, lo, 200],
      [column, hi, 200],
      [column, lo - 0.5, 422],
      [column, hi + 0.5, 422],
      [column, 1e6, 422],
      [column, 1e300, 422],
      [column, -1e300, 422],
    ] as const;
  });
  test.each(cases)('column %i = %p -> %i', async (column, value, status) => {
    const res = await request(t.app).post('/v1/kpi/predict').send({ windows: [windowWith(column, value)] });
    expect(res.status).toBe(status);
    expectMatchesContract('predictKpi', status, res.body);
    if (status === 422) {
      expect(res.body.code).toBe('invalid-window');
      expect(res.body.errors).toEqual([{ field: `/windows/0/3/${column}`, message: expect.stringMatching(/^must be [<>]= -?\d+$/) }]);
      return;
    }
    const p = res.body.predictions[0];
    for (const v of [p.rsrp, p.rsrq, p.sinr]) expect(Number.isFinite(v)).toBe(true);
  });

  test('a prediction outside the reporting range is flagged, not clamped', async () => {
    // The fake model adds +0.5 dBm to the last RSRP: from -31 it predicts -30.5.
    const res = await request(t.app).post('/v1/kpi/predict').send({ windows: [windowWith(0, -31), [row, row, row, row]] });
    expect(res.status).toBe(200);
    const [edge, typical] = res.body.predictions;
    expect(edge.rsrp).toBeCloseTo(-30.5, 9);
    expect(edge.extrapolated).toBe(true);
    expect(typical.extrapolated).toBe(false);
  });
});

describe('openapi.yaml states the bounds the code enforces', () => {
  test('Gain and Measurement bounds equal the code constants', () => {
    const spec = loadSpec();
    const gain = spec.schema('Gain') as { minimum: number; maximum: number; description: string };
    expect(gain.maximum).toBe(GAIN_MAX);
    expect(gain.minimum).toBe(gainRange('sum-capacity').min);
    expect(gain.description).toContain(`at least ${GAIN_MIN_FDMA_DELAY.toExponential().replace('+', '')}`);
    const trusted = trustedGainRange('fdma-delay', DEFAULT_ALLOCATION_PARAMS);
    const allocate = spec.doc.paths['/v1/allocate'].post as unknown as { description: string };
    expect(allocate.description).toContain(`between ${trusted.min.toPrecision(1)} and ${trusted.max.toFixed(1)}`);
    const measurement = spec.schema('Measurement') as { prefixItems: Array<{ minimum: number; maximum: number }> };
    expect(measurement.prefixItems.map((c) => [c.minimum, c.maximum])).toEqual(MEASUREMENT_RANGES.map((m) => m.range));
  });
});
