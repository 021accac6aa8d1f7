/**
 * One allocation task of a trained network as a stand-alone ONNX graph:
 * gains [batch, n] (raw channel gains, 1/W) -> power [batch, n] (W).
 * The graph does everything the TypeScript path does around the network: sorts each row
 * by descending gain, normalises z = (ln(g / meanGain) - E[ln X]) / sd[ln X], runs the
 * dense ReLU stack with this task's routing masks (or per-task weights) folded into the
 * weights, applies the output activation and puts each power back at its user.
 */
import { meanGainLinear, type FdmaDelayParams, type Problem, type SumCapacityParams } from '../solvers/params.js';
import { OnnxGraph } from './graph.js';
import { DataType } from './proto.js';
import { logistic, readWeight, softmax, type TensorLike } from './layers.js';

/** E[ln X] and sd[ln X] for X ~ Exp(1): the network's fixed input normalisation. */
export const LOG_EXP1_MEAN = -0.5772156649015329;
export const LOG_EXP1_SD = Math.PI / Math.sqrt(6);
/** Ratios g / meanGain below this are raised to it before the log (as in training). */
const GAIN_RATIO_FLOOR = 1e-12;

/** What the exporter reads from an allocation network (the trained AllocationNetwork satisfies it). */
export interface AllocationNetworkLike {
  readonly config: {
    scheme: string;
    tasks: { problem: Problem; n: number }[];
    params: { fdmaDelay: FdmaDelayParams; sumCapacity: SumCapacityParams };
    sortInputs: boolean;
  };
  readonly widths: number[];
  readonly maxN: number;
  readonly inDim: number;
  readonly perTask: boolean[];
  readonly maskedLayers: number[];
  readonly W: TensorLike[];
  readonly b: TensorLike[];
  readonly masks?: TensorLike[];
}

/** File name of a task's graph, e.g. fdma-delay-n05.onnx. */
export function allocationOnnxFileName(problem: Problem, n: number): string {
  return `${problem}-n${String(n).padStart(2, '0')}.onnx`;
}

/** Layer l's weights [din, dout] and bias [dout] as task k sees them (masks and per-task weights folded in). */
function taskLayer(net: AllocationNetworkLike, l: number, k: number): { w: Float32Array; b: Float32Array } {
  const din = net.widths[l];
  const dout = net.widths[l + 1];
  const size = din * dout;
  const wAll = readWeight(net.W[l]).values;
  const bAll = readWeight(net.b[l]).values;
  const w = net.perTask[l] ? wAll.slice(k * size, (k + 1) * size) : wAll.slice();
  const b = net.perTask[l] ? bAll.slice(k * dout, (k + 1) * dout) : bAll.slice();
  const mi = net.maskedLayers.indexOf(l);
  if (mi >= 0) {
    if (!net.masks) throw new Error('routed network has no binary masks yet (train past phase 1 first)');
    const mask = readWeight(net.masks[mi]).values.subarray(k * size, (k + 1) * size);
    for (let i = 0; i < size; i++) w[i] *= mask[i];
  }
  return { w, b };
}

/** Rows [from, to) and columns [0, cols) of a row-major [rows, width] matrix. */
function block(m: Float32Array, width: number, from: number, to: number, cols: number): Float32Array {
  const out = new Float32Array((to - from) * cols);
  for (let r = from; r < to; r++) out.set(m.subarray(r * width, r * width + cols), (r - from) * cols);
  return out;
}

/** The ONNX graph of task (problem, n) of `net`. Throws when the network has no such task. */
export function allocationTaskToOnnx(net: AllocationNetworkLike, problem: Problem, n: number): Uint8Array {
  const { tasks, params, scheme } = net.config;
  const k = tasks.findIndex((t) => t.problem === problem && t.n === n);
  if (k < 0) throw new Error(`the model has no task ${problem}:${n} (it has ${tasks.map((t) => `${t.problem}:${t.n}`).join(', ')})`);
  const g = new OnnxGraph(`radio-mtl ${scheme} ${problem} N=${n}`);
  const gains = g.input('gains', ['batch', n], 'channel gains, linear (1/W), one row per sample');

  let sorted = gains;
  let order: string | undefined;
  if (net.config.sortInputs) {
    // TopK keeps equal gains in user order, like the stable sort the network was trained with.
    [sorted, order] = g.nodeN('TopK', [gains, g.int64s('k', [n])], 2, { axis: { int: -1 }, largest: { int: 1 }, sorted: { int: 1 } });
  }
  // In float64 like the TypeScript path: the log of an extreme gain (|ln| up to ~60) would
  // otherwise lose ~1e-6 in float32, which the network amplifies.
  const meanGain = problem === 'fdma-delay' ? meanGainLinear(params.fdmaDelay.meanGainDb) : 1;
  const g64 = g.node('Cast', [sorted], { to: { int: DataType.DOUBLE } });
  const ratio = g.node('Max', [g.node('Div', [g64, g.doubleScalar('mean_gain', meanGain)]), g.doubleScalar('ratio_floor', GAIN_RATIO_FLOOR)]);
  const z64 = g.node('Div', [g.node('Sub', [g.node('Log', [ratio]), g.doubleScalar('log_mean', LOG_EXP1_MEAN)]), g.doubleScalar('log_sd', LOG_EXP1_SD)]);
  let h = g.node('Cast', [z64], { to: { int: DataType.FLOAT } });

  const layers = net.W.length;
  // The zero-padded outputs take part in zero-padding's softmax; the other schemes read only the first n.
  const outCols = scheme === 'zero-padding' ? net.maxN : n;
  for (let l = 0; l < layers; l++) {
    const { w, b } = taskLayer(net, l, k);
    const din = net.widths[l];
    const dout = net.widths[l + 1];
    const cols = l === layers - 1 ? outCols : dout;
    let wUsed: Float32Array;
    let bUsed = b.slice(0, cols);
    if (l === 0) {
      // Only the first n inputs carry gains (the rest are zero); the task-index feature is constant.
      wUsed = block(w, dout, 0, n, cols);
      if (net.inDim > net.maxN) {
        const idxPos = scheme === 'naive' ? n : net.inDim - 1;
        const feature = (k + 1) / tasks.length;
        bUsed = bUsed.map((v, j) => v + feature * w[idxPos * dout + j]);
      }
    } else {
      wUsed = block(w, dout, 0, din, cols);
    }
    const rows = l === 0 ? n : din;
    const z = g.node('Add', [g.node('MatMul', [h, g.floats(`W${l}`, wUsed, [rows, cols])]), g.floats(`b${l}`, bUsed, [cols])]);
    h = l < layers - 1 ? g.node('Relu', [z]) : z;
  }

  let power =
    problem === 'fdma-delay'
      ? g.node('Mul', [softmax(g, h), g.scalar('total_power_w', params.fdmaDelay.totalPowerW)])
      : g.node('Mul', [logistic(g, h), g.scalar('max_power_w', params.sumCapacity.maxPowerW)]);
  if (outCols !== n) power = g.node('Slice', [power, g.int64s('starts', [0]), g.int64s('ends', [n]), g.int64s('axes', [1])]);
  // Position i of a sorted row belongs to user order[i].
  if (order) power = g.node('ScatterElements', [power, order, power], { axis: { int: 1 } });
  g.output(power, 'power', ['batch', n], 'transmit power per user, W');
  return g.toBytes(`radio-mtl ${scheme} allocation network, task ${problem} with N = ${n}: gains (1/W) -> power (W)`, {
    problem,
    n: String(n),
    scheme,
  });
}
