/**
 * Training batches of the allocation trainer: B rows of every task drawn uniformly (with
 * replacement) from its training split, as the network's inputs with the gains, optimal
 * powers and optimal delays in the order the network sees the users (sorted by the gains it
 * observes, which are the true ones unless the data has imperfect channel knowledge).
 */
import { tf } from '../engine.js';
import { inputGains, type AllocationData } from './data.js';
import type { AllocationNetwork } from './network.js';

export interface BatchTensors {
  x: tf.Tensor3D;
  label: tf.Tensor3D;
  gains: tf.Tensor3D;
  optDelay: tf.Tensor2D;
}

/** A function drawing the next batch from `uniform` (the caller disposes the tensors). */
export function batchSampler(net: AllocationNetwork, data: AllocationData, B: number, uniform: () => number): () => BatchTensors {
  const K = data.tasks.length;
  const out = net.outDim;
  const taskIdx = data.tasks.map((_, k) => k);
  // The network reads the observed gains (imperfect knowledge); the loss sees the true ones.
  const trainGains = inputGains(data, 'train');
  const rowIndex = data.tasks.map(() => new Int32Array(B));
  const labelBuf = new Float32Array(K * B * out);
  const gainBuf = new Float32Array(K * B * out);
  const optBuf = new Float32Array(K * B);
  const orders = new Int32Array(K * B * net.maxN);
  return () => {
    for (let k = 0; k < K; k++) {
      const count = data.train[k].count;
      for (let r = 0; r < B; r++) rowIndex[k][r] = Math.floor(uniform() * count);
    }
    const x = net.buildInput(taskIdx, trainGains, B, undefined, rowIndex, orders);
    labelBuf.fill(0);
    gainBuf.fill(0);
    optBuf.fill(1);
    for (let k = 0; k < K; k++) {
      const split = data.train[k];
      const n = data.tasks[k].n;
      for (let r = 0; r < B; r++) {
        const src = rowIndex[k][r];
        const base = (k * B + r) * out;
        const ord = (k * B + r) * net.maxN;
        for (let i = 0; i < n; i++) {
          const u = orders[ord + i];
          gainBuf[base + i] = split.gains[src * n + u];
          if (split.power) labelBuf[base + i] = split.power[src * n + u];
        }
        if (split.objective) optBuf[k * B + r] = split.objective[src];
      }
    }
    return {
      x: tf.tensor3d(x, [K, B, net.inDim]),
      label: tf.tensor3d(labelBuf, [K, B, out]),
      gains: tf.tensor3d(gainBuf, [K, B, out]),
      optDelay: tf.tensor2d(optBuf, [K, B]),
    };
  };
}
