/**
 * One input, one answer: the shipped models through the library (`openModel`), the CLI,
 * /v1 and /v2 give the same powers and the same KPI predictions, because all four answer
 * through the family's service. Includes an fdma-delay instance outside the allocation
 * model's trusted gain range ([1e-9, 1, 1, 1, 1]), which every surface hands to the exact solver.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { openModel } from '../../src/index.js';
import type { AllocationService, InterferenceService, KpiService } from '../../src/dnn/services.js';
import { interferenceGains } from '../../src/channels/interference.js';
import { seededUniform } from '../../src/random.js';
import { INTERFERENCE_DEFAULTS } from '../../src/solvers/params.js';
import { defaultLoaders } from '../../src/server/loaders.js';
import { solveBatch } from '../../src/solvers/solve-batch.js';
import { runCli } from '../helpers/run-cli.js';
import { makeTempDir } from '../helpers/tmp.js';
import { makeApp, type TestApp } from '../server/helpers.js';

let tmp: ReturnType<typeof makeTempDir>;
let t: TestApp;
let allocation: AllocationService;
let kpi: KpiService;
beforeAll(async () => {
  tmp = makeTempDir();
  t = await makeApp('models', {}, true, await defaultLoaders());
  allocation = (await openModel('models/allocation-routed')) as AllocationService;
  kpi = (await openModel('models/kpi-ple')) as KpiService;
}, 60_000);
afterAll(() => tmp.cleanup());

const file = (name: string, doc: unknown) => {
  const path = join(tmp.dir, name);
  writeFileSync(path, JSON.stringify(doc));
  return path;
};

describe.each([
  ['fdma-delay', [[1e-9, 1, 1, 1, 1], [0.8, 1.7, 0.3, 2.4, 1.1], [1.25, 0.5, 2, 0.75, 1]]],
  ['sum-capacity', [[0.5, 1, 2, 0.25, 1.5], [1e-9, 1, 1, 1, 1]]],
] as const)('allocation, %s', (problem, gains) => {
  const rows = gains.map((r) => [...r]);
  test('library, CLI, /v1 and /v2 give the same powers, objectives and solvers', async () => {
    const lib = await allocation.allocate(problem, rows);
    const cli = await runCli(['solve', '--problem', problem, '--solver', 'dnn', '--model', 'models/allocation-routed', '--input', file(`${problem}.json`, { gains: rows })]);
    expect([cli.code, cli.stderr]).toEqual([0, '']);
    const v1 = await request(t.app).post('/v1/allocate').send({ problem, gains: rows, solver: 'dnn' });
    expect(v1.status).toBe(200);
    const v2 = await request(t.app)
      .post('/v2/models/allocation-routed/infer')
      .send({ parameters: { problem }, inputs: [{ name: 'gains', datatype: 'FP64', shape: [rows.length, 5], data: rows.flat() }] });
    expect(v2.status).toBe(200);
    const out = Object.fromEntries((v2.body.outputs as Array<{ name: string; data: unknown[] }>).map((o) => [o.name, o.data]));
    const fromCli = JSON.parse(cli.stdout);
    for (const other of [fromCli, v1.body]) {
      expect(other.power).toEqual(lib.power);
      expect(other.objective).toEqual(lib.objective);
      expect(other.solvedBy).toEqual(lib.solvedBy);
    }
    expect(out.power).toEqual(lib.power.flat());
    expect(out.objective).toEqual(lib.objective);
    expect(out.solved_by).toEqual(lib.solvedBy);
    // The instance with a gain of 1e-9 is outside the trusted range: the exact optimum answers it.
    const far = rows.findIndex((r) => r[0] === 1e-9);
    expect(lib.solvedBy[far]).toBe('exact');
    expect(lib.objective[far]).toBe(solveBatch(problem, 'exact', [rows[far]]).objective[0]);
    expect(lib.solvedBy.filter((s) => s === 'dnn')).toHaveLength(rows.length - 1);
  }, 60_000);
});

describe('interference', () => {
  const g = interferenceGains(seededUniform('services-interference'), 3, 6, INTERFERENCE_DEFAULTS);
  const matrices = Array.from({ length: 3 }, (_, s) => Array.from({ length: 6 }, (_, r) => Array.from(g.subarray((s * 6 + r) * 6, (s * 6 + r + 1) * 6))));

  test('library, CLI, /v1 and /v2 give the same powers and sum rates (K = 6, served by the K = 8 task)', async () => {
    const interference = (await openModel('interference-routed')) as InterferenceService;
    expect(interference.kind).toBe('interference');
    const lib = await interference.allocate(matrices);
    const cli = await runCli(['solve', '--problem', 'interference', '--solver', 'dnn', '--input', file('ic.json', { gains: matrices })]);
    expect(cli.code).toBe(0);
    const v1 = await request(t.app).post('/v1/allocate').send({ problem: 'interference', gains: matrices });
    expect(v1.status).toBe(200);
    const v2 = await request(t.app)
      .post('/v2/models/interference-routed/infer')
      .send({ inputs: [{ name: 'gains', datatype: 'FP64', shape: [3, 6, 6], data: matrices.flat(2) }] });
    expect(v2.status).toBe(200);
    const out = Object.fromEntries((v2.body.outputs as Array<{ name: string; data: unknown[] }>).map((o) => [o.name, o.data]));
    const fromCli = JSON.parse(cli.stdout);
    expect(fromCli.power).toEqual(lib.power);
    expect(fromCli.sumRate).toEqual(lib.sumRate);
    expect(v1.body.power).toEqual(lib.power);
    expect(v1.body.objective).toEqual(lib.sumRate);
    expect(out.power).toEqual(lib.power.flat());
    expect(out.sum_rate).toEqual(lib.sumRate);
    for (const p of lib.power.flat()) expect(p >= 0 && p <= INTERFERENCE_DEFAULTS.maxPowerW).toBe(true);
  }, 60_000);
});

describe('kpi', () => {
  // Values exact in float32 (the /v2 input is FP32), a slow fade on SINR.
  const window = (k: number) => Array.from({ length: 35 }, (_, s) => [-95 - 0.25 * ((s + k) % 8), -12 + 0.5 * (k % 3), 20 - 0.5 * s + k]);
  const windows = [window(0), window(1), window(5)];
  const history = Array.from({ length: 80 }, (_, i) => [-100 + (i % 20), -12 - (i % 5) / 2, i === 7 ? null : 5 + (i % 25)]);

  test('library, CLI and /v1 make the same profile; with and without it, all four predict the same', async () => {
    const profile = await kpi.calibrate(history);
    const cliProfile = await runCli(['kpi', 'calibrate', '--model', 'models/kpi-ple', '--input', file('history.json', { rows: history })]);
    expect([cliProfile.code, cliProfile.stderr]).toEqual([0, '']);
    expect(JSON.parse(cliProfile.stdout)).toEqual(profile);
    const v1Profile = await request(t.app).post('/v1/kpi/calibrate').send({ rows: history });
    expect(v1Profile.body.profile).toEqual(profile);
    expect(profile.forecastGain).toHaveLength(3);

    for (const withProfile of [undefined, profile]) {
      const lib = await kpi.predict(windows, { profile: withProfile });
      const cli = await runCli(['kpi', 'predict', '--model', 'models/kpi-ple', '--input', file('windows.json', { windows }), ...(withProfile ? ['--profile', file('profile.json', withProfile)] : [])]);
      expect([cli.code, cli.stderr]).toEqual([0, '']);
      const v1 = await request(t.app).post('/v1/kpi/predict').send({ windows, ...(withProfile ? { profile: withProfile } : {}) });
      expect(v1.status).toBe(200);
      const v2 = await request(t.app)
        .post('/v2/models/kpi-ple/infer')
        .send({ ...(withProfile ? { parameters: { profile: JSON.stringify(withProfile) } } : {}), inputs: [{ name: 'windows', datatype: 'FP32', shape: [3, 35, 3], data: windows.flat(2) }] });
      expect(v2.status).toBe(200);
      const out = Object.fromEntries((v2.body.outputs as Array<{ name: string; data: unknown[] }>).map((o) => [o.name, o.data]));
      expect(JSON.parse(cli.stdout).predictions).toEqual(lib.predictions);
      expect(v1.body.predictions).toEqual(lib.predictions);
      expect(out.interference_probability).toEqual(lib.predictions.map((p) => p.interferenceProbability));
      expect(out.kpi_next).toEqual(lib.predictions.flatMap((p) => [p.rsrp, p.rsrq, p.sinr]));
      expect(lib.scaler).toBe(withProfile ? 'profile' : 'pooled');
    }
  }, 60_000);

  test('a window with gaps: filled alike on every surface', async () => {
    const gappy = window(2).map((r, s) => (s % 9 === 4 ? [r[0], null, r[2]] : r));
    const lib = await kpi.predict([gappy]);
    const cli = await runCli(['kpi', 'predict', '--model', 'models/kpi-ple', '--input', file('gappy.json', { windows: [gappy] })]);
    const v1 = await request(t.app).post('/v1/kpi/predict').send({ windows: [gappy] });
    expect(lib.predictions[0].imputed).toBe(4);
    expect(JSON.parse(cli.stdout).predictions).toEqual(lib.predictions);
    expect(v1.body.predictions).toEqual(lib.predictions);
  }, 60_000);
});
