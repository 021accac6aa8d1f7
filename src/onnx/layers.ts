/**
 * Building blocks shared by the exporters: weights read from model tensors, dense layers,
 * softmax-weighted mixing, and the LSTM as ONNX's LSTM operator.
 */
import type { OnnxGraph } from './graph.js';

/** A model tensor as the exporters read it (a tfjs tensor or variable satisfies this). */
export interface TensorLike {
  readonly shape: number[];
  dataSync(): ArrayLike<number>;
}

/** A weight's values and shape. */
export interface Weight {
  values: Float32Array;
  dims: number[];
}

export function readWeight(t: TensorLike): Weight {
  return { values: Float32Array.from(t.dataSync()), dims: [...t.shape] };
}

/** x [.., din] W [din, dout] + b [dout]. */
export function dense(g: OnnxGraph, x: string, name: string, w: Weight, b: Weight): string {
  return g.node('Add', [g.node('MatMul', [x, g.floats(`${name}.w`, w.values, w.dims)]), g.floats(`${name}.b`, b.values, b.dims)]);
}

/** Softmax over the last axis. */
export function softmax(g: OnnxGraph, x: string): string {
  return g.node('Softmax', [x], { axis: { int: -1 } });
}

/**
 * 1 / (1 + exp(-x)). ONNX Runtime's Sigmoid returns 0 below a logit of about -18, where a
 * sum-capacity power is still ~1e-8 W; this form keeps float32's relative accuracy there.
 */
export function logistic(g: OnnxGraph, x: string): string {
  const one = g.scalar('one', 1);
  return g.node('Div', [one, g.node('Add', [one, g.node('Exp', [g.node('Neg', [x])])])]);
}

/** sum_e weights[b, e] * experts[b, e, :] for experts [B, n*H] and weights [B, n]: [B, H]. */
export function mixExperts(g: OnnxGraph, experts: string, weights: string, n: number, hidden: number): string {
  const stacked = g.node('Reshape', [experts, g.int64s('shape', [-1, n, hidden])]);
  const w = g.node('Unsqueeze', [weights, g.int64s('axes', [2])]);
  return g.node('ReduceSum', [g.node('Mul', [stacked, w]), g.int64s('axes', [1])], { keepdims: { int: 0 } });
}

/** Our LSTM weights: x W_x + h W_h + b with gate blocks in the order i, f, g, o. */
export interface LstmWeights {
  wx: Weight; // [F, 4H]
  wh: Weight; // [H, 4H]
  b: Weight; // [4H]
}

/** ONNX orders the gate blocks i, o, f, c: the source block of each target block. */
const ONNX_GATE_SOURCE = [0, 3, 1, 2];

/** [rows, 4H] (x W layout) to ONNX's [1, 4H, rows] (W x layout) with the gates reordered. */
function onnxGateMatrix(w: Weight, hidden: number): Float32Array {
  const [rows, cols] = w.dims;
  if (cols !== 4 * hidden) throw new Error(`LSTM weight has ${cols} columns, expected 4 x ${hidden}`);
  const out = new Float32Array(4 * hidden * rows);
  ONNX_GATE_SOURCE.forEach((src, dst) => {
    for (let j = 0; j < hidden; j++) for (let r = 0; r < rows; r++) out[(dst * hidden + j) * rows + r] = w.values[r * cols + src * hidden + j];
  });
  return out;
}

/**
 * Runs ONNX's LSTM over time-major x [T, B, F] from zero state. Returns every step's
 * hidden state [T, B, H] and the last one [B, H].
 */
export function lstm(g: OnnxGraph, x: string, name: string, p: LstmWeights, hidden: number): { states: string; last: string } {
  const F = p.wx.dims[0];
  const w = g.floats(`${name}.W`, onnxGateMatrix(p.wx, hidden), [1, 4 * hidden, F]);
  const r = g.floats(`${name}.R`, onnxGateMatrix(p.wh, hidden), [1, 4 * hidden, hidden]);
  // ONNX adds an input bias and a recurrent bias: ours goes in the first, zeros in the second.
  const bias = new Float32Array(8 * hidden);
  ONNX_GATE_SOURCE.forEach((src, dst) => bias.set(p.b.values.subarray(src * hidden, (src + 1) * hidden), dst * hidden));
  const b = g.floats(`${name}.B`, bias, [1, 8 * hidden]);
  const [y, yh] = g.nodeN('LSTM', [x, w, r, b], 2, { hidden_size: { int: hidden } });
  const states = g.node('Squeeze', [y, g.int64s('axes', [1])]); // [T, 1, B, H] -> [T, B, H]
  const last = g.node('Squeeze', [yh, g.int64s('axes', [0])]); // [1, B, H] -> [B, H]
  return { states, last };
}
