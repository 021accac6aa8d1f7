/**
 * @jest-environment ./test/onnx/ort-environment.js
 *
 * The ONNX Runtime KPI predictor runs large batches a slice at a time (session.run computes on
 * the calling thread): the answers are those of the tfjs forward pass, in order across the
 * slices, and the event loop gets turns while a large batch runs.
 */
import { setImmediate } from 'node:timers/promises';
import seedrandom from 'seedrandom';
import { initEngine } from '../../../src/dnn/engine.js';
import { createKpiPredictor } from '../../../src/dnn/kpi/predict.js';
import { createKpiModel } from '../../../src/dnn/kpi/registry.js';

const WINDOW = 5;

beforeAll(async () => {
  await initEngine();
});

test('1,000 windows: the tfjs numbers in order, with the event loop answering meanwhile', async () => {
  const model = createKpiModel('mmoe', { hidden: 4, window: WINDOW, seed: 3 });
  const onnx = await createKpiPredictor(model, { engine: 'onnxruntime' });
  const tfjs = await createKpiPredictor(model, { engine: 'tfjs' });
  expect(onnx.engine).toBe('onnxruntime');
  const rng = seedrandom('predict-onnx');
  const x = Float32Array.from({ length: 1000 * WINDOW * 3 }, () => rng());
  let turns = 0;
  let running = true;
  const ticker = (async () => {
    while (running) {
      await setImmediate();
      turns++;
    }
  })();
  const got = await onnx.predict(x);
  running = false;
  await ticker;
  const want = await tfjs.predict(x);
  expect(got.reg).toHaveLength(3000);
  expect(got.prob).toHaveLength(1000);
  const worst = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
  expect(worst(got.reg, want.reg)).toBeLessThan(1e-5);
  expect(worst(got.prob, want.prob)).toBeLessThan(1e-5);
  // 1,000 windows in one run gave the loop one turn; a slice per turn gives several.
  expect(turns).toBeGreaterThanOrEqual(7);
  await onnx.dispose();
});
