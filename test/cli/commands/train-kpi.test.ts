import { jest } from '@jest/globals';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { makeTempDir } from '../../helpers/tmp.js';
import { writeFixture } from '../../dnn/kpi/fixture.js';
import { runCli } from '../../helpers/run-cli.js';
import { tf } from '../../../src/dnn/engine.js';

describe('train kpi / evaluate kpi commands', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  beforeAll(() => {
    tmp = makeTempDir();
    writeFixture(join(tmp.dir, 'csv'), { files: 2, rows: 200 }); // test part holds both classes
  });
  afterAll(() => tmp.cleanup());

  it('trains a model and evaluates it as JSON with the documented keys', async () => {
    const out = join(tmp.dir, 'm');
    const t = await runCli(['train', 'kpi', '--arch', 'hard-sharing', '--data', join(tmp.dir, 'csv'), '--out', out, '--epochs', '1', '--hidden', '8', '--window', '6', '--context', '4', '--quiet']);
    expect(t.code).toBe(0);
    expect(t.stdout).toMatch(/accuracy .* balanced .* AUC/);
    expect(existsSync(join(out, 'current.json'))).toBe(true);
    const ev = await runCli(['evaluate', 'kpi', '--model', out, '--data', join(tmp.dir, 'csv'), '--json']);
    expect(ev.code).toBe(0);
    const doc = JSON.parse(ev.stdout);
    for (const k of ['accuracy', 'balancedAccuracy', 'f1', 'auc', 'majorityAccuracy']) {
      expect(doc[k]).toBeGreaterThanOrEqual(0);
      expect(doc[k]).toBeLessThanOrEqual(1);
    }
    for (const k of ['mse', 'persistenceMse']) expect(Object.keys(doc[k]).sort()).toEqual(['rsrp', 'rsrq', 'sinr']);
    expect(doc.window).toBe(6);
    expect(doc.context).toBe(4);
  });

  it('trains several seeds into seed-<s> folders', async () => {
    const out = join(tmp.dir, 'seeds');
    const t = await runCli(['train', 'kpi', '--arch', 'attention', '--data', join(tmp.dir, 'csv'), '--out', out, '--epochs', '1', '--hidden', '4', '--window', '6', '--seeds', '2', '--quiet']);
    expect(t.code).toBe(0);
    expect(t.stdout).toMatch(/2 seeds: accuracy/);
    // The first seed is the recipe's (3) unless --seed says otherwise.
    expect(existsSync(join(out, 'seed-3', 'current.json')) && existsSync(join(out, 'seed-4', 'current.json'))).toBe(true);
  });

  it('bad input gets one clear message naming the option', async () => {
    const bad = await runCli(['train', 'kpi', '--arch', 'lstm', '--data', tmp.dir, '--out', join(tmp.dir, 'x')]);
    expect(bad.code).not.toBe(0);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^radio-mtl: --arch: must be one of/);
    const noData = await runCli(['train', 'kpi', '--arch', 'mmoe', '--data', join(tmp.dir, 'missing'), '--out', join(tmp.dir, 'x'), '--quiet']);
    expect(noData.code).toBe(2);
    expect(noData.stderr).toMatch(/--data: .* is not a directory/);
    const longWindow = await runCli(['train', 'kpi', '--arch', 'mmoe', '--data', join(tmp.dir, 'csv'), '--out', join(tmp.dir, 'x'), '--window', '50', '--quiet']);
    expect(longWindow.stderr).toMatch(/--window: 50 leaves no windows/);
    const longContext = await runCli(['train', 'kpi', '--arch', 'mmoe', '--data', join(tmp.dir, 'csv'), '--out', join(tmp.dir, 'x'), '--window', '6', '--context', '7', '--quiet']);
    expect(longContext.code).toBe(2);
    expect(longContext.stderr).toMatch(/--context: must be at most --window \(6\), got 7/);
    const noModel = await runCli(['evaluate', 'kpi', '--model', join(tmp.dir, 'none'), '--data', join(tmp.dir, 'csv')]);
    expect(noModel.code).toBe(2);
    expect(noModel.stderr).toMatch(/--model: .*model\.json is missing/);
    const notKpi = await runCli(['evaluate', 'kpi', '--model', 'models/allocation-routed', '--data', join(tmp.dir, 'csv')]);
    expect(notKpi.code).toBe(2);
    expect(notKpi.stderr).toMatch(/--model: .*not a KPI model/);
  });

  it('evaluate kpi reports a failure that is not the input as an internal error', async () => {
    const out = join(tmp.dir, 'm');
    const bug = new TypeError('a bug while loading the weights');
    const load = jest.spyOn(tf.Variable.prototype, 'assign').mockImplementationOnce(() => {
      throw bug;
    });
    try {
      const r = await runCli(['evaluate', 'kpi', '--model', out, '--data', join(tmp.dir, 'csv')]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^radio-mtl: internal error: TypeError: a bug while loading the weights\n/);
    } finally {
      load.mockRestore();
    }
  });

  const REAL = resolve(process.cwd(), '..', 'shared', 'data', 'fcciq');
  (existsSync(REAL) ? it : it.skip)('real-data smoke run: one short epoch of MMoE at H = 8 beats persistence on every KPI', async () => {
    const out = join(tmp.dir, 'real');
    const t = await runCli(['train', 'kpi', '--arch', 'mmoe', '--data', REAL, '--out', out, '--epochs', '1', '--hidden', '8', '--json', '--quiet']);
    expect(t.code).toBe(0);
    const r = JSON.parse(t.stdout).runs[0];
    expect(r.metrics.count).toBe(735);
    expect(r.metrics.majorityAccuracy).toBeCloseTo(0.6476, 4);
    for (const k of ['rsrp', 'rsrq', 'sinr']) expect(r.metrics.mse[k]).toBeLessThan(r.metrics.persistenceMse[k]);
  }, 120000);
});
