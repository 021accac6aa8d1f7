/** Turns window sets (src/datasets/kpi/windows.ts) into the models' time-major batches. */
import { tf } from '../engine.js';
import type { InferenceWindows, WindowSet } from '../../datasets/kpi/windows.js';
import { AR_STEPS, type KpiBatch } from './base.js';

/**
 * Batch of the windows `idx`: time-major x [steps*B, F] holding the last `steps`
 * steps of each window (the model's context), last [B, F], recent [B, AR_STEPS*F]
 * (from the whole window). Caller disposes.
 */
export function makeBatch(ws: InferenceWindows, idx: ArrayLike<number>, steps: number): KpiBatch {
  const B = idx.length;
  const T = ws.window;
  const F = ws.features;
  if (!Number.isInteger(steps) || steps < 1 || steps > T) throw new Error(`context must be an integer from 1 to the window length ${T}, got ${steps}`);
  const skip = T - steps;
  const x = new Float32Array(steps * B * F);
  const L = Math.min(AR_STEPS, T);
  const last = new Float32Array(B * F);
  const recent = new Float32Array(B * AR_STEPS * F);
  for (let b = 0; b < B; b++) {
    const base = idx[b] * T * F;
    for (let t = 0; t < steps; t++) for (let f = 0; f < F; f++) x[(t * B + b) * F + f] = ws.x[base + (skip + t) * F + f];
    for (let f = 0; f < F; f++) last[b * F + f] = ws.last[idx[b] * F + f];
    // recent: steps T-L..T-1 minus the last step, oldest first (zero-padded on the left when T < AR_STEPS).
    for (let s = 0; s < L; s++) {
      const t = T - L + s;
      for (let f = 0; f < F; f++) recent[b * AR_STEPS * F + (AR_STEPS - L + s) * F + f] = ws.x[base + t * F + f] - last[b * F + f];
    }
  }
  return { x: tf.tensor2d(x, [steps * B, F]), steps, last: tf.tensor2d(last, [B, F]), recent: tf.tensor2d(recent, [B, AR_STEPS * F]), batch: B };
}

/** Regression targets [B, F] and one-hot labels [B, 2] of the windows `idx`. Caller disposes. */
export function makeTargets(ws: WindowSet, idx: ArrayLike<number>): { y: tf.Tensor2D; onehot: tf.Tensor2D } {
  const B = idx.length;
  const F = ws.features;
  const y = new Float32Array(B * F);
  const oh = new Float32Array(B * 2);
  for (let b = 0; b < B; b++) {
    for (let f = 0; f < F; f++) y[b * F + f] = ws.y[idx[b] * F + f];
    oh[b * 2 + ws.label[idx[b]]] = 1;
  }
  return { y: tf.tensor2d(y, [B, F]), onehot: tf.tensor2d(oh, [B, 2]) };
}

export function range(a: number, b: number): number[] {
  return Array.from({ length: b - a }, (_, i) => a + i);
}
