/**
 * Serving a network with M output heads (an ensemble on one trunk, after ePCNet: Liang et
 * al., "Towards optimal power control via ensembling deep neural networks", IEEE TCOM
 * 2019): every head proposes a power vector and the one with the highest sum rate is the
 * answer, an exact O(M K^2) check per instance. The ONNX graph makes the same choice in
 * float64 from the same float32 inputs (src/onnx/export-interference.ts), so both engines
 * pick the same head except where two heads' sum rates agree to float32 precision.
 */
import { sumRateOf } from '../../solvers/interference-objective.js';

/**
 * The best of `heads` candidates per instance: candidates [count, heads, K] (W, pair order)
 * for gains [count, K, K]; returns powers [count, K]. The sum rates are taken on the gains
 * rounded to float32 (what ONNX Runtime receives); the first head wins a tie, as ArgMax.
 */
export function bestHead(candidates: Float64Array, gains: ArrayLike<number>, count: number, k: number, heads: number, noisePowerW: number): Float64Array {
  const out = new Float64Array(count * k);
  const g = new Float64Array(k * k);
  for (let s = 0; s < count; s++) {
    for (let i = 0; i < k * k; i++) g[i] = Math.fround(gains[s * k * k + i]);
    let best = 0;
    let bestRate = -Infinity;
    for (let h = 0; h < heads; h++) {
      const rate = sumRateOf(g, k, candidates.subarray((s * heads + h) * k, (s * heads + h + 1) * k), noisePowerW);
      if (rate > bestRate) [best, bestRate] = [h, rate];
    }
    out.set(candidates.subarray((s * heads + best) * k, (s * heads + best + 1) * k), s * k);
  }
  return out;
}
