/**
 * CLI inputs of any size (the HTTP API's 1,024-item limit is a body limit): 5,000 gain vectors
 * solved in chunks, as one JSON document or as NDJSON lines in and out, and KPI windows past
 * 1,024; errors name the instance by its index in the whole input, and nothing is written on failure.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { seededUniform } from '../../src/random.js';
import { rayleighGains } from '../../src/channels/rayleigh.js';
import { solveBatch } from '../../src/solvers/solve-batch.js';
import { CHUNK_SIZE } from '../../src/cli/instances.js';
import { runCli } from '../helpers/run-cli.js';
import { makeTempDir } from '../helpers/tmp.js';

const ROWS = 5000;
const N = 5;
const g = rayleighGains(seededUniform(3), ROWS, N);
const gains = Array.from({ length: ROWS }, (_, r) => Array.from(g.subarray(r * N, (r + 1) * N)));

let tmp: ReturnType<typeof makeTempDir>;
let jsonFile: string;
let ndjsonFile: string;
beforeAll(() => {
  tmp = makeTempDir();
  jsonFile = join(tmp.dir, 'gains.json');
  ndjsonFile = join(tmp.dir, 'gains.ndjson');
  writeFileSync(jsonFile, JSON.stringify({ gains }));
  writeFileSync(ndjsonFile, `${gains.map((r, i) => JSON.stringify(i % 2 ? r : { gains: r })).join('\n')}\n`);
});
afterAll(() => tmp.cleanup());

test(`a file of ${ROWS} gain vectors (more than ${CHUNK_SIZE}) is solved whole, as the library solves it`, async () => {
  expect(ROWS).toBeGreaterThan(4 * CHUNK_SIZE);
  const r = await runCli(['solve', '--problem', 'fdma-delay', '--json', '--input', jsonFile]);
  expect([r.code, r.stderr]).toEqual([0, '']);
  const out = JSON.parse(r.stdout);
  const lib = solveBatch('fdma-delay', 'exact', gains);
  expect(out.power).toEqual(lib.power);
  expect(out.objective).toEqual(lib.objective);
}, 60_000);

test('NDJSON in and out (--output): one line per instance, the same answers as the JSON document', async () => {
  const doc = JSON.parse((await runCli(['solve', '--problem', 'fdma-delay', '--solver', 'dnn', '--model', 'models/allocation-routed', '--input', jsonFile])).stdout);
  const outFile = join(tmp.dir, 'out.ndjson');
  const r = await runCli(['solve', '--problem', 'fdma-delay', '--solver', 'dnn', '--model', 'models/allocation-routed', '--ndjson', '--input', ndjsonFile, '--output', outFile]);
  expect([r.code, r.stdout, r.stderr]).toEqual([0, '', '']);
  const lines = readFileSync(outFile, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
  expect(lines).toHaveLength(ROWS);
  expect(doc.power).toHaveLength(ROWS);
  lines.forEach((line, i) => {
    expect(line).toEqual({ power: doc.power[i], objective: doc.objective[i], constraintViolation: doc.constraintViolation[i], solvedBy: doc.solvedBy[i] });
  });
}, 60_000);

test('a bad instance deep in the file is named by its index, and --output is left as it was', async () => {
  const bad = gains.map((r) => [...r]);
  bad[3000][2] = -1;
  const badFile = join(tmp.dir, 'bad.json');
  writeFileSync(badFile, JSON.stringify({ gains: bad }));
  const outFile = join(tmp.dir, 'never.json');
  const r = await runCli(['solve', '--problem', 'fdma-delay', '--input', badFile, '--output', outFile]);
  expect(r.code).toBe(2);
  expect(r.stderr).toBe('radio-mtl: --input: gains[3000][2]: must be >= 0\n');
  expect(existsSync(outFile)).toBe(false);
  const line = join(tmp.dir, 'bad.ndjson');
  writeFileSync(line, `${JSON.stringify(gains[0])}\n{oops\n`);
  expect((await runCli(['solve', '--problem', 'fdma-delay', '--ndjson', '--input', line])).stderr).toMatch(/^radio-mtl: --input: line 2: not valid JSON/);
});

test(`kpi predict takes more than ${CHUNK_SIZE} windows, as NDJSON lines`, async () => {
  const count = CHUNK_SIZE + 76;
  const file = join(tmp.dir, 'windows.ndjson');
  const window = (k: number) => Array.from({ length: 35 }, (_, t) => [-95 - 0.01 * ((t + k) % 50), -12, 20 - 0.3 * t - 0.001 * k]);
  writeFileSync(file, `${Array.from({ length: count }, (_, k) => JSON.stringify(window(k))).join('\n')}\n`);
  const r = await runCli(['kpi', 'predict', '--model', 'models/kpi-ple', '--ndjson', '--input', file]);
  expect([r.code, r.stderr]).toEqual([0, '']);
  const lines = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
  expect(lines).toHaveLength(count);
  const lastFile = join(tmp.dir, 'last.json');
  writeFileSync(lastFile, JSON.stringify({ windows: [window(count - 1)] }));
  const last = JSON.parse((await runCli(['kpi', 'predict', '--model', 'models/kpi-ple', '--input', lastFile])).stdout);
  expect(lines[count - 1]).toEqual(last.predictions[0]);
}, 60_000);

test('RADIO_MTL_ENGINE chooses the inference engine of solve --solver dnn and kpi predict, as of serve', async () => {
  const before = process.env.RADIO_MTL_ENGINE;
  process.env.RADIO_MTL_ENGINE = 'tfjs';
  try {
    const solved = JSON.parse((await runCli(['solve', '--problem', 'fdma-delay', '--solver', 'dnn', '--model', 'models/allocation-routed', '--input', jsonFile])).stdout);
    expect(solved.model.engine).toBe('tfjs');
    process.env.RADIO_MTL_ENGINE = 'cuda';
    expect((await runCli(['solve', '--problem', 'fdma-delay', '--solver', 'dnn', '--model', 'models/allocation-routed', '--input', jsonFile])).stderr).toBe(
      "radio-mtl: RADIO_MTL_ENGINE must be one of auto, onnxruntime, tfjs, got 'cuda'\n",
    );
  } finally {
    if (before === undefined) delete process.env.RADIO_MTL_ENGINE;
    else process.env.RADIO_MTL_ENGINE = before;
  }
}, 60_000);
