/**
 * The one inference interface of KPI models: next-step RSRP, RSRQ, SINR and the
 * interference probability for scaled windows, on ONNX Runtime (the model exported to ONNX)
 * or on the model's own tfjs forward pass. Scaling stays with the caller, shared by both
 * engines. The CLI, the server and the benchmarks call this, never a forward pass of their own.
 */
import { kpiModelToOnnx } from '../../onnx/export-kpi.js';
import { inferenceWindows, type InferenceWindows } from '../../datasets/kpi/windows.js';
import { tf } from '../engine.js';
import { buildOnEngine, sessionOptions, type EngineOptions, type InferenceEngine, type OrtModule } from '../inference-engine.js';
import type { KpiModel } from './base.js';
import { makeBatch, range } from './data.js';

export interface KpiOutput {
  /** [count, 3] next-step RSRP, RSRQ, SINR (scaled). */
  reg: Float32Array;
  /** [count] probability of interference. */
  prob: Float32Array;
}

export interface KpiPredictor {
  readonly engine: InferenceEngine;
  /** Steps per window. */
  readonly window: number;
  /** Predictions for scaled windows x [count, window, 3] (RSRP, RSRQ, SINR; oldest step first). */
  predict(x: Float32Array): Promise<KpiOutput>;
  dispose(): Promise<void>;
}

/** The model's tfjs forward pass over windows, `batchSize` at a time. */
export function predictKpi(model: KpiModel, ws: InferenceWindows, batchSize = 512): KpiOutput {
  const reg = new Float32Array(ws.count * 3);
  const prob = new Float32Array(ws.count);
  const ctx = { training: false, rng: Math.random };
  for (let a = 0; a < ws.count; a += batchSize) {
    const idx = range(a, Math.min(ws.count, a + batchSize));
    tf.tidy(() => {
      const batch = makeBatch(ws, idx, model.config.context);
      const out = model.forward(batch, ctx);
      reg.set(out.reg.dataSync(), a * 3);
      const p = tf.softmax(out.logits).dataSync();
      for (let i = 0; i < idx.length; i++) prob[a + i] = p[i * 2 + 1];
    });
  }
  return { reg, prob };
}

/** P(class 1) from two logits per row, computed stably. */
function interferenceProbability(logits: Float32Array): Float32Array {
  const prob = new Float32Array(logits.length / 2);
  for (let i = 0; i < prob.length; i++) prob[i] = 1 / (1 + Math.exp(logits[i * 2] - logits[i * 2 + 1]));
  return prob;
}

/**
 * Windows per ONNX Runtime run: 1,024 windows in one run blocked the event loop for 40-100 ms;
 * 128 take a few ms and cost little throughput (the LSTM's work is per window).
 */
const ONNX_RUN_WINDOWS = 128;

async function onnxPredictor(model: KpiModel, ort: OrtModule, opts: EngineOptions): Promise<KpiPredictor> {
  const session = await ort.InferenceSession.create(kpiModelToOnnx(model), sessionOptions(opts));
  const T = model.config.window;
  const predict = async (x: Float32Array): Promise<KpiOutput> => {
    const count = inferenceWindows(x, T).count;
    const reg = new Float32Array(count * 3);
    const prob = new Float32Array(count);
    // session.run computes on the calling thread: a few windows per run, each started on a new
    // event-loop turn (session.run waits for setImmediate), keep a server's event loop answering.
    for (let a = 0; a < count; a += ONNX_RUN_WINDOWS) {
      const n = Math.min(ONNX_RUN_WINDOWS, count - a);
      const out = await session.run({ window: new ort.Tensor('float32', x.subarray(a * T * 3, (a + n) * T * 3), [n, T, 3]) });
      reg.set(out.next.data as Float32Array, a * 3);
      prob.set(interferenceProbability(out.interference_logits.data as Float32Array), a);
    }
    return { reg, prob };
  };
  try {
    // One pass now, so a session that builds but cannot run falls back at load time.
    await predict(new Float32Array(T * 3).fill(0.5));
  } catch (err) {
    await session.release();
    throw err;
  }
  return { engine: 'onnxruntime', window: T, predict, dispose: () => session.release() };
}

/** The predictor of a loaded KPI model on the engine `opts.engine` asks for (default 'auto'). */
export async function createKpiPredictor(model: KpiModel, opts: EngineOptions = {}): Promise<KpiPredictor> {
  const window = model.config.window;
  return buildOnEngine(opts, {
    onnxruntime: (ort) => onnxPredictor(model, ort, opts),
    tfjs: () => ({
      engine: 'tfjs',
      window,
      predict: async (x) => predictKpi(model, inferenceWindows(x, window)),
      dispose: async () => undefined,
    }),
  });
}
