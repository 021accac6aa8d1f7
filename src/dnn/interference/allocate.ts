/**
 * Powers from a trained interference network for K x K instances of any K up to the
 * largest trained one: an instance of an untrained K runs through the task of the
 * smallest trained K' >= K with its K x K block in the input grid (the rest zero, as a
 * task's padding always is), and the outputs are mapped back from sorted positions to the
 * pairs. The first K outputs of task K' were trained with K' real pairs, so this is an
 * extrapolation; the reproduction measures it (K = 7).
 */
import { tf } from '../engine.js';
import { InputError } from '../../input-error.js';
import { buildFeatures, type FeatureScale } from './features.js';
import { bestHead } from './heads.js';
import type { InterferenceNetwork } from './network.js';

/** The task that serves K pairs: the smallest trained K' >= K. */
export function taskFor(net: InterferenceNetwork, k: number): number {
  const sizes = net.config.sizes;
  let best = -1;
  sizes.forEach((size, t) => {
    if (size >= k && (best < 0 || size < sizes[best])) best = t;
  });
  if (best < 0) throw new InputError('gains', `the model serves K <= ${net.maxK} pairs (its input is a ${net.maxK} x ${net.maxK} grid), got K = ${k}`);
  return best;
}

/** Rows per forward pass: bounds the memory of one call. */
const CHUNK = 4096;

/**
 * Powers [count * K], W, in [0, Pmax], for `count` K x K instances (row-major); with M
 * heads, the head of highest sum rate per instance (heads.ts).
 */
export function allocateInterference(net: InterferenceNetwork, scale: FeatureScale, gains: ArrayLike<number>, count: number, k: number, task = taskFor(net, k)): Float64Array {
  const M = net.heads;
  const candidates = new Float64Array(count * M * k);
  const width = M * net.maxK;
  for (let start = 0; start < count; start += CHUNK) {
    const rows = Math.min(CHUNK, count - start);
    const f = buildFeatures([{ k, count, gains }], rows, net.featureLayout(), scale, start, [task]);
    const p = tf.tidy(() => net.powers(net.logits(tf.tensor3d(f.x, [1, rows, net.inDim]), undefined, task)).dataSync());
    for (let r = 0; r < rows; r++) {
      for (let h = 0; h < M; h++) {
        const at = ((start + r) * M + h) * k;
        // sigmoid <= 1 exactly, but float32(Pmax) can exceed Pmax (0.1 -> 0.10000000149): keep the box exact.
        for (let i = 0; i < k; i++) candidates[at + f.order[r * net.maxK + i]] = Math.min(p[r * width + h * net.maxK + i], net.config.maxPowerW);
      }
    }
  }
  if (M === 1) return candidates;
  if (net.config.noisePowerW === undefined) throw new Error('a network with several heads needs noisePowerW in its configuration to choose between them');
  return bestHead(candidates, gains, count, k, M, net.config.noisePowerW);
}
