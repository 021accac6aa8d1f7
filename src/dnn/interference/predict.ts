/**
 * The one inference interface of interference networks: powers for batches of K x K gain
 * matrices, on ONNX Runtime (the network exported per K, src/onnx/export-interference.ts,
 * one session per K built on first use) or on the network's own tfjs forward pass
 * (allocate.ts). The service, the CLI, the server and the benchmarks call this.
 */
import { interferenceToOnnx } from '../../onnx/export-interference.js';
import { buildOnEngine, sessionOptions, type EngineOptions, type InferenceEngine, type OrtModule, type OrtSession } from '../inference-engine.js';
import { allocateInterference, taskFor } from './allocate.js';
import type { FeatureScale } from './features.js';
import type { InterferenceNetwork } from './network.js';

export interface InterferencePredictor {
  readonly engine: InferenceEngine;
  /** Powers [count * K] (W, in [0, Pmax]) for `count` K x K matrices (row-major); InputError for a K the network cannot take. */
  predict(gains: Float64Array, count: number, k: number): Promise<Float64Array>;
  dispose(): Promise<void>;
}

async function onnxPredictor(net: InterferenceNetwork, scale: FeatureScale, ort: OrtModule, opts: EngineOptions): Promise<InterferencePredictor> {
  const sessions = new Map<number, Promise<OrtSession>>();
  const sessionFor = (k: number, task: number) => {
    let s = sessions.get(k);
    if (!s) sessions.set(k, (s = ort.InferenceSession.create(interferenceToOnnx(net, scale, k, task), sessionOptions(opts))));
    return s;
  };
  const release = async () => {
    await Promise.all([...sessions.values()].map(async (s) => (await s).release()));
  };
  const predict = async (gains: Float64Array, count: number, k: number): Promise<Float64Array> => {
    const session = await sessionFor(k, taskFor(net, k));
    if (count === 0) return new Float64Array(0);
    const out = await session.run({ gains: new ort.Tensor('float32', Float32Array.from(gains), [count, k, k]) });
    // float32(Pmax) can exceed Pmax (0.1 -> 0.10000000149): the box stays exact, as on the tfjs path.
    return Float64Array.from(out.power.data as Float32Array, (p) => Math.min(p, net.config.maxPowerW));
  };
  try {
    // One pass per trained K now, so a session that builds but cannot run falls back at load time.
    for (const k of net.config.sizes) await predict(new Float64Array(k * k).fill(1), 1, k);
  } catch (err) {
    await release();
    throw err;
  }
  return { engine: 'onnxruntime', predict, dispose: release };
}

/** The predictor of a loaded network on the engine `opts.engine` asks for (default 'auto'). */
export async function createInterferencePredictor(net: InterferenceNetwork, scale: FeatureScale, opts: EngineOptions = {}): Promise<InterferencePredictor> {
  return buildOnEngine(opts, {
    onnxruntime: (ort) => onnxPredictor(net, scale, ort, opts),
    tfjs: () => ({ engine: 'tfjs', predict: async (gains, count, k) => allocateInterference(net, scale, gains, count, k), dispose: async () => undefined }),
  });
}
