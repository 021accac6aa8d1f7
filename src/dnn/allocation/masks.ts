/**
 * Routing-mask analysis: how much of the bDNN two tasks share.
 * Jaccard(i, j) = |H_i AND H_j| / |H_i OR H_j| over every masked weight (all masked layers).
 */
import type { AllocationNetwork } from './network.js';

/** Binary masks of each task flattened over all masked layers (empty when the scheme has none). */
export function flatMasks(net: AllocationNetwork): Uint8Array[] {
  if (!net.masks) return [];
  const K = net.K;
  const size = net.masks.reduce((s, m) => s + m.shape[1] * m.shape[2], 0);
  const out = Array.from({ length: K }, () => new Uint8Array(size));
  let off = 0;
  for (const m of net.masks) {
    const per = m.shape[1] * m.shape[2];
    const v = m.dataSync();
    for (let k = 0; k < K; k++) for (let i = 0; i < per; i++) out[k][off + i] = v[k * per + i] > 0.5 ? 1 : 0;
    off += per;
  }
  return out;
}

/** K x K Jaccard overlap of the tasks' routing masks (1 on the diagonal; 1 when both are empty). */
export function maskJaccard(masks: Uint8Array[]): number[][] {
  return masks.map((a) =>
    masks.map((b) => {
      let both = 0;
      let either = 0;
      for (let i = 0; i < a.length; i++) {
        both += a[i] & b[i];
        either += a[i] | b[i];
      }
      return either === 0 ? 1 : both / either;
    }),
  );
}

/** Fraction of ones per task. */
export function maskDensity(masks: Uint8Array[]): number[] {
  return masks.map((m) => m.reduce((s, v) => s + v, 0) / Math.max(1, m.length));
}
