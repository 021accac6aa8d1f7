/** @jest-environment ./test/onnx/ort-environment.js */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FDMA_DELAY_DEFAULTS } from '../../../src/solvers/params.js';
import { runCli } from '../../helpers/run-cli.js';
import { makeTempDir } from '../../helpers/tmp.js';
import { runOnnx } from '../../onnx/run-ort.js';
import { saveTinyInterferenceModel } from '../../helpers/interference-model.js';
import { loadInterferenceServable } from '../../../src/dnn/interference/servable.js';
import { interferenceGains } from '../../../src/channels/interference.js';
import { seededUniform } from '../../../src/random.js';
import { INTERFERENCE_DEFAULTS } from '../../../src/solvers/params.js';

const tmp = makeTempDir('radio-mtl-onnx-cli-');
afterAll(() => tmp.cleanup());

describe('radio-mtl export onnx', () => {
  it('writes the KPI model as one file that ONNX Runtime runs', async () => {
    const out = join(tmp.dir, 'kpi', 'ple.onnx');
    const r = await runCli(['export', 'onnx', '--model', 'models/kpi-ple', '--out', out]);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(/^export onnx: wrote KPI model \(ple, window 35\) to .*ple\.onnx \(\d+\.\d KiB\)\n$/);
    const res = await runOnnx(readFileSync(out), { window: { data: new Float32Array(2 * 35 * 3).fill(0.5), dims: [2, 35, 3] } });
    expect(res.next.dims).toEqual([2, 3]);
    expect(res.interference_logits.dims).toEqual([2, 2]);
  });

  it('writes one file per allocation task, each runnable, with a progress line per file', async () => {
    const out = join(tmp.dir, 'routed');
    const r = await runCli(['export', 'onnx', '--model', 'models/allocation-routed', '--out', out, '--json']);
    expect(r.code).toBe(0);
    expect(r.stderr.trim().split('\n')).toHaveLength(14);
    expect(r.stderr).toContain('export onnx: 14/14 ');
    const files = readdirSync(out).sort();
    expect(files).toEqual([5, 8, 10, 12, 15, 18, 20].flatMap((n) => [`fdma-delay-n${String(n).padStart(2, '0')}.onnx`, `sum-capacity-n${String(n).padStart(2, '0')}.onnx`]).sort());
    const report = JSON.parse(r.stdout) as { files: { path: string; bytes: number; task: string }[] };
    expect(report.files.map((f) => f.task)).toContain('sum-capacity:20');
    const res = await runOnnx(readFileSync(join(out, 'fdma-delay-n08.onnx')), { gains: { data: new Float32Array(8).fill(1), dims: [1, 8] } });
    const total = Array.from(res.power.data).reduce((a, b) => a + b, 0);
    expect(total).toBeCloseTo(FDMA_DELAY_DEFAULTS.totalPowerW, 5); // fdma-delay spends the whole budget (softmax x Ptot)
  });

  it('an interference model: one file per trained K, or any K of its range with --task, each giving the service\'s powers', async () => {
    const dir = join(tmp.dir, 'ic-model');
    await saveTinyInterferenceModel(dir, { sizes: [3, 5] });
    const all = await runCli(['export', 'onnx', '--model', dir, '--out', join(tmp.dir, 'ic'), '--quiet']);
    expect(all.code).toBe(0);
    expect(readdirSync(join(tmp.dir, 'ic')).sort()).toEqual(['interference-k03.onnx', 'interference-k05.onnx']);
    const one = await runCli(['export', 'onnx', '--model', dir, '--task', 'interference:4', '--out', join(tmp.dir, 'ic4.onnx')]);
    expect(one.code).toBe(0);
    const gains = interferenceGains(seededUniform('export-ic'), 2, 4, INTERFERENCE_DEFAULTS);
    const res = await runOnnx(readFileSync(join(tmp.dir, 'ic4.onnx')), { gains: { data: Float32Array.from(gains), dims: [2, 4, 4] } });
    const model = await loadInterferenceServable(dir, 'ic', { engine: 'tfjs' });
    const expected = await model.allocate(gains, 2, 4);
    Array.from(res.power.data).forEach((p, i) => expect(Math.abs(p - expected[i])).toBeLessThan(1e-5 * expected[i] + 1e-12));
    const bad = await runCli(['export', 'onnx', '--model', dir, '--task', 'interference:6', '--out', join(tmp.dir, 'ic6.onnx')]);
    expect([bad.code, bad.stderr.trim()]).toEqual([2, "radio-mtl: --task: K: K = 6 pairs is outside the range model 'ic-model' was trained on (K from 3 to 5; trained: 3, 5)"]);
  });

  it('--task writes that task alone to the file --out', async () => {
    const out = join(tmp.dir, 'one.onnx');
    const r = await runCli(['export', 'onnx', '--model', 'models/allocation-routed', '--out', out, '--task', 'sum-capacity:5', '--quiet']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const res = await runOnnx(readFileSync(out), { gains: { data: new Float32Array([0.1, 1, 2, 3, 4]), dims: [1, 5] } });
    expect(res.power.dims).toEqual([1, 5]);
  });

  it.each([
    [['--model', 'no/such/dir', '--out', 'x.onnx'], /^radio-mtl: --model: no\/such\/dir: .*\n$/],
    [['--model', 'models', '--out', 'x.onnx'], /^radio-mtl: --model: models: no model here/],
    [['--model', 'models/allocation-routed', '--out', 'x.onnx', '--task', 'fdma:5'], /^radio-mtl: --task: must be PROBLEM:N with PROBLEM one of fdma-delay, sum-capacity .* got 'fdma:5'\n$/],
    [['--model', 'models/allocation-routed', '--out', 'x.onnx', '--task', 'fdma-delay:7'], /^radio-mtl: --task: the model has no task fdma-delay:7 \(it has fdma-delay:5, /],
    [['--model', 'models/kpi-ple', '--out', 'x.onnx', '--task', 'fdma-delay:5'], /^radio-mtl: --task: applies to allocation models; 'models\/kpi-ple' is a KPI model/],
    [['--model', 'models/kpi-ple'], /^radio-mtl: --out: is required \(see radio-mtl export onnx --help\)\n$/],
  ])('bad input %j: one line, exit 2', async (args, message) => {
    const r = await runCli(['export', 'onnx', ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.split('\n')).toHaveLength(2);
  });

  it('an --out directory blocked by a file is a one-line --out error', async () => {
    const blocker = join(tmp.dir, 'blocker');
    writeFileSync(blocker, 'a file');
    const r = await runCli(['export', 'onnx', '--model', 'models/allocation-routed', '--out', blocker, '--quiet']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^radio-mtl: --out: cannot write '.*blocker\/fdma-delay-n05\.onnx': a file stands where a directory is needed/);
  });
});
