/** KPI inference windows and the tfjs predictor: the same numbers as the training-time window sets. */
import { buildWindows, inferenceWindows } from '../../../src/datasets/kpi/windows.js';
import { initEngine } from '../../../src/dnn/engine.js';
import { createKpiPredictor, predictKpi } from '../../../src/dnn/kpi/predict.js';
import { createKpiModel } from '../../../src/dnn/kpi/registry.js';

const WINDOW = 6;
/** One segment of 10 scaled rows: 4 windows with a next step each. */
const values = Float32Array.from({ length: 30 }, (_, i) => ((i * 7) % 11) / 10);
const trained = buildWindows([{ values, labels: new Int32Array(10), range: [1, 1, 1], source: 0 }], WINDOW);

beforeAll(async () => {
  await initEngine();
});

describe('inferenceWindows', () => {
  test('the inputs and last steps of buildWindows, from the inputs alone', () => {
    const ws = inferenceWindows(trained.x, WINDOW);
    expect(ws.count).toBe(4);
    expect(Array.from(ws.last)).toEqual(Array.from(trained.last));
  });

  test('a partial window is an error naming the shape', () => {
    expect(() => inferenceWindows(new Float32Array(WINDOW * 3 + 1), WINDOW)).toThrow('x must hold whole windows of 6 steps x 3 features, got 19 values');
  });
});

describe('createKpiPredictor on tfjs', () => {
  test('answers as predictKpi on the training-time window set', async () => {
    const model = createKpiModel('hard-sharing', { hidden: 4, window: WINDOW, seed: 2 });
    const predictor = await createKpiPredictor(model, { engine: 'tfjs' });
    expect(predictor.engine).toBe('tfjs');
    const got = await predictor.predict(trained.x);
    const want = predictKpi(model, trained);
    expect(Array.from(got.reg)).toEqual(Array.from(want.reg));
    expect(Array.from(got.prob)).toEqual(Array.from(want.prob));
  });
});
