/**
 * Which engine runs a trained network at inference: ONNX Runtime (onnxruntime-node, from
 * the network exported to ONNX) or the network's own TensorFlow.js forward pass. 'auto'
 * takes ONNX Runtime when the package loads and the session builds, else tfjs, and says why.
 */
import type * as Ort from 'onnxruntime-node';

export const INFERENCE_ENGINES = ['onnxruntime', 'tfjs'] as const;
export type InferenceEngine = (typeof INFERENCE_ENGINES)[number];
export const ENGINE_CHOICES = ['auto', ...INFERENCE_ENGINES] as const;
export type EngineChoice = (typeof ENGINE_CHOICES)[number];
export type OrtModule = typeof Ort;
export type OrtSession = Ort.InferenceSession;

export interface EngineOptions {
  /** Default 'auto'. */
  engine?: EngineChoice;
  /**
   * ONNX Runtime threads per forward pass. Default 1: requests are batched and the server
   * scales with processes (--workers), so one thread per pass avoids oversubscription.
   */
  intraOpThreads?: number;
  /** ONNX Runtime execution providers in order of preference (default ['cpu']; 'cuda' needs the CUDA build). */
  executionProviders?: string[];
  /** Loads onnxruntime-node; replaceable so a missing package can be simulated. */
  loadRuntime?: () => Promise<OrtModule>;
  /** Told why 'auto' fell back to tfjs. */
  onFallback?: (reason: string) => void;
}

export async function loadOnnxRuntime(): Promise<OrtModule> {
  return import('onnxruntime-node');
}

/** Session options from the engine options: CPU provider and one intra-op thread unless told otherwise. */
export function sessionOptions(opts: EngineOptions): Ort.InferenceSession.SessionOptions {
  return {
    executionProviders: opts.executionProviders ?? ['cpu'],
    intraOpNumThreads: opts.intraOpThreads ?? 1,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
  };
}

/**
 * Builds the predictor on the engine `opts.engine` asks for. With 'auto', any failure to load
 * onnxruntime-node or to build its sessions falls back to tfjs (reported to onFallback); an
 * explicit 'onnxruntime' fails instead.
 */
export async function buildOnEngine<T>(opts: EngineOptions, build: { onnxruntime: (ort: OrtModule) => Promise<T>; tfjs: () => T }): Promise<T> {
  const engine = opts.engine ?? 'auto';
  if (engine === 'tfjs') return build.tfjs();
  try {
    const ort = await (opts.loadRuntime ?? loadOnnxRuntime)();
    return await build.onnxruntime(ort);
  } catch (err) {
    const reason = `onnxruntime unavailable (${(err as Error).message.split('\n')[0]})`;
    if (engine === 'onnxruntime') throw new Error(reason);
    opts.onFallback?.(`${reason}: using tfjs`);
    return build.tfjs();
  }
}
