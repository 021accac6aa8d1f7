/** `train kpi --ensemble K` (one model of K members) and `train kpi --from MODEL` (fine-tuning on a cell's labelled rows). */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir } from '../../helpers/tmp.js';
import { writeFixture } from '../../dnn/kpi/fixture.js';
import { runCli } from '../../helpers/run-cli.js';
import { initEngine, tf } from '../../../src/dnn/engine.js';
import { loadKpiModel } from '../../../src/dnn/kpi/model.js';

describe('train kpi --ensemble / --from', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let ens: string;
  beforeAll(async () => {
    await initEngine();
    tmp = makeTempDir();
    writeFixture(join(tmp.dir, 'csv'), { files: 2, rows: 200 });
    writeFixture(join(tmp.dir, 'cell'), { files: 1, rows: 240, seed: 7 });
    ens = join(tmp.dir, 'ens');
  });
  afterAll(() => tmp.cleanup());

  it('--ensemble 3 --arch ple,mmoe saves one model of three members that evaluate kpi and export onnx take', async () => {
    const t = await runCli(['train', 'kpi', '--ensemble', '3', '--arch', 'ple,mmoe', '--data', join(tmp.dir, 'csv'), '--out', ens, '--epochs', '1', '--hidden', '6', '--window', '6', '--context', '4', '--quiet', '--json']);
    expect(t.code).toBe(0);
    const doc = JSON.parse(t.stdout);
    expect(doc.arch).toBe('ensemble');
    expect(doc.runs[0].members).toEqual([{ arch: 'ple', seed: 3 }, { arch: 'mmoe', seed: 3 }, { arch: 'ple', seed: 4 }]);
    expect(existsSync(join(ens, 'checkpoint'))).toBe(false);
    const ev = await runCli(['evaluate', 'kpi', '--model', ens, '--data', join(tmp.dir, 'csv'), '--json']);
    expect(ev.code).toBe(0);
    expect(JSON.parse(ev.stdout).arch).toBe('ensemble');
    const onnx = await runCli(['export', 'onnx', '--model', ens, '--out', join(tmp.dir, 'ens.onnx')]);
    expect(onnx.code).toBe(0);
    expect(existsSync(join(tmp.dir, 'ens.onnx'))).toBe(true);
  });

  it('--from fine-tunes every member on the cell\'s rows into <model>-adapted, keeping the scalers, never worse on the validation tail', async () => {
    const t = await runCli(['train', 'kpi', '--from', ens, '--data', join(tmp.dir, 'cell'), '--epochs', '3', '--quiet', '--json']);
    expect(t.code).toBe(0);
    const doc = JSON.parse(t.stdout);
    expect(doc.model).toBe(`${ens}-adapted`);
    expect(doc.members).toHaveLength(3);
    expect(doc.after.loss).toBeLessThanOrEqual(doc.before.loss);
    const source = loadKpiModel(ens);
    const adapted = loadKpiModel(`${ens}-adapted`);
    expect(adapted.manifest.scalers).toEqual(source.manifest.scalers);
    expect(adapted.manifest.adaptation?.from.weightsSha256).toBe(source.weightsSha256);
    expect(adapted.manifest.adaptation?.data.files.map((f) => f.name)).toEqual(['Lvl_0_fixture.csv']);
    tf.dispose([...Object.values(source.model.params.vars), ...Object.values(adapted.model.params.vars)]);
    // The default output exists now: not replaced without --out.
    const again = await runCli(['train', 'kpi', '--from', ens, '--data', join(tmp.dir, 'cell'), '--quiet']);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/^radio-mtl: --out: not given, and the default '.*-adapted' exists/);
  });

  it('bad combinations get one line naming the option', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['--arch', 'ple,mmoe', '--out', join(tmp.dir, 'x')], /^radio-mtl: --arch: a list of architectures needs --ensemble K/],
      [['--arch', 'ple,lstm', '--ensemble', '2', '--out', join(tmp.dir, 'x')], /^radio-mtl: --arch: must be one of .*, got 'lstm'/],
      [['--ensemble', '1', '--out', join(tmp.dir, 'x')], /^radio-mtl: --ensemble: must be an integer >= 2/],
      [['--ensemble', '2', '--seeds', '2', '--out', join(tmp.dir, 'x')], /^radio-mtl: --seeds: cannot be combined with --ensemble/],
      [['--from', ens, '--hidden', '4', '--out', join(tmp.dir, 'x')], /^radio-mtl: --hidden: describes a new model; --from .* fine-tunes a saved one/],
      [['--from', join(tmp.dir, 'none'), '--out', join(tmp.dir, 'x')], /^radio-mtl: --from: .*model\.json is missing/],
      [[], /^radio-mtl: --out: is required/],
    ];
    for (const [args, message] of cases) {
      const r = await runCli(['train', 'kpi', '--data', join(tmp.dir, 'csv'), '--quiet', ...args]);
      expect([r.code, r.stderr]).toEqual([2, expect.stringMatching(message)]);
    }
  });
});
