/**
 * Runs at more than one thread (`--threads N` of bench:kpi and bench:allocation): PyTorch and
 * ONNX Runtime get N threads, tfjs-wasm one, and the ratios compare wall time (CPU time counts
 * every thread, so it hides what threads buy).
 */
import type { BestOf } from './interleave.js';

/**
 * Why tfjs-wasm stays at one thread in Node. Measured with @tensorflow/tfjs-backend-wasm 4.22 on
 * Node 20: its WASM_HAS_MULTITHREAD_SUPPORT flag is false under Node by design (tfjs issue
 * #3830), and forcing it true makes the backend's init fail, since the threaded binary's
 * pthread workers are Blob URLs, which Node's worker_threads refuse (ERR_WORKER_PATH).
 */
export const TFJS_WASM_THREADS_NOTE =
  "tfjs-wasm runs one thread: in Node its threaded SIMD binary cannot start (the backend's WASM_HAS_MULTITHREAD_SUPPORT is false under Node, tfjs issue #3830; " +
  "forced true, init fails because its pthread workers are Blob URLs, which Node's worker_threads refuse with ERR_WORKER_PATH)";

/** The time a ratio compares: CPU ms at one thread, wall ms above. */
export function comparedMs(b: BestOf, threads: number): number {
  return threads > 1 ? b.wallMs : b.cpuMs;
}

/** How the report names that time. */
export function comparedUnit(threads: number): string {
  return threads > 1 ? 'wall ms' : 'CPU ms';
}
