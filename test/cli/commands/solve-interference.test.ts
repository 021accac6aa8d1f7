import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../../helpers/run-cli.js';
import { makeTempDir } from '../../helpers/tmp.js';
import { gaussianInterferenceGains } from '../../../src/channels/interference.js';
import { seededUniform } from '../../../src/random.js';
import { exhaustiveOnOff } from '../../../src/solvers/interference-on-off.js';
import { INTERFERENCE_DEFAULTS } from '../../../src/solvers/params.js';
import { fullPower, wmmse } from '../../../src/solvers/wmmse.js';
import { allocateInterferenceWithModel } from '../../../src/dnn/interference/service.js';
import { loadInterferenceServable } from '../../../src/dnn/interference/servable.js';
import { saveTinyInterferenceModel } from '../../helpers/interference-model.js';

describe('radio-mtl solve --problem interference', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  beforeEach(() => (tmp = makeTempDir()));
  afterEach(() => tmp.cleanup());

  const k = 4;
  const flat = gaussianInterferenceGains(seededUniform('solve-ic'), 3, k);
  const matrices = Array.from({ length: 3 }, (_, s) => Array.from({ length: k }, (_, r) => Array.from(flat.slice(s * k * k + r * k, s * k * k + (r + 1) * k))));
  const input = (doc: unknown) => {
    const file = join(tmp.dir, 'in.json');
    writeFileSync(file, JSON.stringify(doc));
    return file;
  };

  it('WMMSE by default (from full power) on a batch, with powers, sum rates and iterations', async () => {
    const r = await runCli(['solve', '--problem', 'interference', '--input', input({ gains: matrices })]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    const expected = wmmse(flat, 3, k, INTERFERENCE_DEFAULTS, fullPower(3, k, INTERFERENCE_DEFAULTS));
    expect(out.solver).toBe('wmmse');
    expect(out.power.flat()).toEqual(Array.from(expected.power));
    expect(out.sumRate).toEqual(Array.from(expected.sumRate));
    expect(out.iterations).toEqual(Array.from(expected.iterations));
  });

  it('exhaustive on/off on one matrix; best of 5 starts is at least one run', async () => {
    const one = await runCli(['solve', '--problem', 'interference', '--solver', 'on-off', '--input', input({ gains: matrices[0] })]);
    expect(one.code).toBe(0);
    expect(JSON.parse(one.stdout).sumRate).toEqual(Array.from(exhaustiveOnOff(flat.slice(0, k * k), 1, k, INTERFERENCE_DEFAULTS).sumRate));
    const single = JSON.parse((await runCli(['solve', '--problem', 'interference', '--input', input({ gains: matrices })])).stdout);
    const multi = JSON.parse((await runCli(['solve', '--problem', 'interference', '--starts', '5', '--input', input({ gains: matrices })])).stdout);
    expect(multi.starts).toBe(5);
    multi.sumRate.forEach((rate: number, s: number) => expect(rate).toBeGreaterThan(single.sumRate[s] - 0.05));
  });

  it.each([
    [['--input', 'IN'], { gains: [[1, 2], [3]] }, 'radio-mtl: --input: gains[1]: has 1 gains but the matrix has 2 rows (it must be square, K x K)'],
    [['--solver', 'exact', '--input', 'IN'], { gains: [[1]] }, "radio-mtl: --solver: interference takes wmmse | on-off | full-power | dnn, got 'exact'"],
    [['--solver', 'dnn', '--model', 'MISSING', '--input', 'IN'], { gains: [[1]] }, /^radio-mtl: --model: .*MISSING/],
    [['--ndjson', '--input', 'IN'], { gains: [[1]] }, 'radio-mtl: --ndjson: is not supported for interference: give one JSON document {"gains": ...} of at most 1024 matrices'],
  ])('refuses bad input in one line (%j)', async (args, doc, message) => {
    const r = await runCli(['solve', '--problem', 'interference', ...args.map((a) => (a === 'IN' ? input(doc) : a))]);
    expect(r.code).toBe(2);
    if (typeof message === 'string') expect(r.stderr.trim()).toBe(message);
    else expect(r.stderr.trim()).toMatch(message);
  });

  it('--solver dnn answers through the interference service (as /v1/allocate and openModel), and names a K outside the trained range', async () => {
    const dir = join(tmp.dir, 'ic');
    await saveTinyInterferenceModel(dir, { sizes: [3, 4] });
    const r = await runCli(['solve', '--problem', 'interference', '--solver', 'dnn', '--model', dir, '--input', input({ gains: matrices })]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    const expected = await allocateInterferenceWithModel(await loadInterferenceServable(dir, 'ic', { engine: 'tfjs' }), matrices);
    expect(out).toMatchObject({ problem: 'interference', solver: 'dnn', k, model: { dir, scheme: 'routed', channel: 'gaussian' } });
    expect(out.sumRate).toHaveLength(3);
    out.power.flat().forEach((p: number, i: number) => expect(p).toBeCloseTo(expected.power.flat()[i], 5));
    const big = await runCli(['solve', '--problem', 'interference', '--solver', 'dnn', '--model', dir, '--input', input({ gains: [[1, 0, 0, 0, 0], [0, 1, 0, 0, 0], [0, 0, 1, 0, 0], [0, 0, 0, 1, 0], [0, 0, 0, 0, 1]] })]);
    expect(big.code).toBe(2);
    expect(big.stderr.trim()).toBe("radio-mtl: --input: gains: K = 5 pairs is outside the range model 'ic' was trained on (K from 3 to 4; trained: 3, 4)");
  });

  it('the other problems keep their solvers and refuse interference ones', async () => {
    const r = await runCli(['solve', '--problem', 'fdma-delay', '--solver', 'wmmse', '--input', input({ gains: [[1, 2]] })]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe("radio-mtl: --solver: fdma-delay takes exact | ipm | dnn, got 'wmmse'");
  });
});
