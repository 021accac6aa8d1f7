/** The serving loaders release what they built when a model cannot be served. */
import { initEngine, tf } from '../../src/dnn/engine.js';
import type { OrtModule } from '../../src/dnn/inference-engine.js';
import { makeAllocationLoader, makeKpiLoader } from '../../src/server/loaders.js';

/** ONNX Runtime forced and unable to load: building the predictor throws after the tfjs model exists. */
const noPredictor = { engine: { engine: 'onnxruntime' as const, loadRuntime: (): Promise<OrtModule> => Promise.reject(new Error("Cannot find module 'onnxruntime-node'")) } };

beforeAll(async () => {
  await initEngine();
});

test.each([
  ['kpi', makeKpiLoader, 'models/kpi-ple'],
  ['allocation', makeAllocationLoader, 'models/allocation-routed'],
])('%s loader: when the predictor cannot be built, the loaded model is disposed', async (_kind, makeLoader, dir) => {
  const before = tf.memory().numTensors;
  await expect(makeLoader(noPredictor).load(dir, 'm')).rejects.toThrow('onnxruntime unavailable');
  expect(tf.memory().numTensors).toBe(before);
});
