/**
 * The shipped models give the stored outputs on fixed inputs (within 1e-5). A failure after
 * a deliberate retraining: run `npm run golden:update` and commit test/golden/.
 */
import { initEngine } from '../src/dnn/engine.js';
import { GOLDEN_MODELS, GOLDEN_TOLERANCE, readGolden } from './golden/golden-models.js';

/** Every number of `actual` within GOLDEN_TOLERANCE (relative above 1) of the one at the same place in `expected`. */
function expectClose(actual: unknown, expected: unknown, path = 'outputs'): void {
  if (typeof expected === 'number') {
    expect({ path, value: actual }).toEqual({ path, value: expect.any(Number) });
    const gap = Math.abs((actual as number) - expected) / Math.max(1, Math.abs(expected));
    if (!(gap <= GOLDEN_TOLERANCE)) throw new Error(`${path}: ${String(actual)} differs from the golden ${expected} by ${gap.toExponential(2)} (relative)`);
  } else if (Array.isArray(expected)) {
    expect({ path, length: (actual as unknown[]).length }).toEqual({ path, length: expected.length });
    expected.forEach((e, i) => expectClose((actual as unknown[])[i], e, `${path}[${i}]`));
  } else if (expected !== null && typeof expected === 'object') {
    expect({ path, keys: Object.keys(actual as object).sort() }).toEqual({ path, keys: Object.keys(expected).sort() });
    for (const [k, e] of Object.entries(expected)) expectClose((actual as Record<string, unknown>)[k], e, `${path}.${k}`);
  } else {
    expect({ path, value: actual }).toEqual({ path, value: expected });
  }
}

beforeAll(async () => {
  await initEngine();
});

describe.each(GOLDEN_MODELS.map((g) => g.model))('golden outputs of models/%s', (model) => {
  test('the fixed inputs give the stored outputs', async () => {
    const golden = readGolden(model);
    const runner = GOLDEN_MODELS.find((g) => g.model === model)!;
    expectClose(await runner.run(golden.inputs), golden.outputs);
  });
});
