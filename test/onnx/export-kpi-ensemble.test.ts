/** @jest-environment ./test/onnx/ort-environment.js */
/** An ensemble exports as ONE ONNX graph (members side by side, averaged in the graph) that ONNX Runtime runs as tfjs does. */
import seedrandom from 'seedrandom';
import { initEngine, tf } from '../../src/dnn/engine.js';
import { disposeKpiModel, type KpiModel } from '../../src/dnn/kpi/base.js';
import { KpiEnsemble } from '../../src/dnn/kpi/ensemble.js';
import { createKpiPredictor } from '../../src/dnn/kpi/predict.js';
import { createKpiModel } from '../../src/dnn/kpi/registry.js';
import { kpiModelToOnnx } from '../../src/onnx/export-kpi.js';
import { decodeModel } from '../../src/onnx/proto.js';

beforeAll(async () => {
  await initEngine();
});

function randomModel(arch: string, config: { hidden: number; window: number; context: number }, seed: number): KpiModel {
  const model = createKpiModel(arch, { ...config, seed });
  const rng = seedrandom(`onnx-ensemble-${arch}-${seed}`);
  for (const v of Object.values(model.params.vars)) v.assign(tf.tensor(Float32Array.from({ length: v.size }, () => (rng() - 0.5) * 0.8), v.shape));
  return model;
}

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

test('ONNX Runtime equals tfjs within 1e-5 on an ensemble of three architectures with different contexts', async () => {
  const T = 12;
  const ensemble = new KpiEnsemble([
    randomModel('ple', { hidden: 8, window: T, context: 7 }, 1),
    randomModel('mmoe', { hidden: 8, window: T, context: 10 }, 2),
    randomModel('attention', { hidden: 6, window: T, context: 4 }, 3),
  ]);
  const rng = seedrandom('onnx-ensemble-windows');
  const count = 40;
  const x = Float32Array.from({ length: count * T * 3 }, () => -0.2 + 1.4 * rng());
  const onnx = await createKpiPredictor(ensemble, { engine: 'onnxruntime' });
  const tfjs = await createKpiPredictor(ensemble, { engine: 'tfjs' });
  expect([onnx.engine, tfjs.engine]).toEqual(['onnxruntime', 'tfjs']);
  const [a, b] = [await onnx.predict(x), await tfjs.predict(x)];
  expect(maxDiff(a.prob, b.prob)).toBeLessThan(1e-5);
  expect(maxDiff(a.reg, b.reg)).toBeLessThan(1e-5);
  // The probabilities are spread (100x the tolerance), so the comparison is not between constants.
  expect(Math.max(...b.prob) - Math.min(...b.prob)).toBeGreaterThan(1e-3);
  await Promise.all([onnx.dispose(), tfjs.dispose()]);
  disposeKpiModel(ensemble);
});

test('the export is one graph with one input and the two usual outputs', () => {
  const ensemble = new KpiEnsemble([randomModel('ple', { hidden: 4, window: 6, context: 6 }, 1), randomModel('ple', { hidden: 4, window: 6, context: 6 }, 2)]);
  type Graph = { graph: { input: Array<{ name: string }>; output: Array<{ name: string }>; initializer: Array<{ floatData?: number[] }> } };
  const floats = (m: Graph) => m.graph.initializer.reduce((s, i) => s + (i.floatData?.length ?? 0), 0);
  const model = decodeModel(kpiModelToOnnx(ensemble)) as Graph;
  expect(model.graph.input.map((i) => i.name)).toEqual(['window']);
  expect(model.graph.output.map((o) => o.name)).toEqual(['next', 'interference_logits']);
  // Every member's weights are in it: twice the floats of one member (one more constant: the member count).
  const single = decodeModel(kpiModelToOnnx(ensemble.members[0])) as Graph;
  expect(floats(model)).toBe(2 * floats(single) + 1);
  disposeKpiModel(ensemble);
});
