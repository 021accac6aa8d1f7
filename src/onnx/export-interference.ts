/**
 * An interference network (src/dnn/interference/) as a stand-alone ONNX graph for one
 * number of pairs K: gains [batch, K, K] (row k: the gains from every transmitter into
 * receiver k, linear) -> power [batch, K] (W). The graph does what features.ts and
 * allocate.ts do around the network: sorts the pairs by descending direct gain (rows and
 * columns together), standardises the log-gains with the model's stored scale (direct and
 * cross gains apart), runs the dense ReLU stack of the task that serves K (masks and
 * per-task weights folded in; only the K x K block of the input grid is non-zero, so only
 * its rows of the first layer are kept) and puts each power back at its pair.
 */
import { OnnxGraph } from './graph.js';
import { logistic, readWeight, type TensorLike } from './layers.js';
import { DataType } from './proto.js';

/** What the exporter reads from an interference network (InterferenceNetwork satisfies it). */
export interface InterferenceNetworkLike {
  readonly config: { scheme: string; sizes: number[]; maxPowerW: number; noisePowerW?: number };
  readonly T: number;
  readonly maxK: number;
  readonly widths: number[];
  readonly perTask: boolean;
  readonly maskedLayers: number[];
  /** Output heads M (the last layer has M x maxK outputs, head h at [h maxK, (h + 1) maxK)). */
  readonly heads: number;
  readonly W: TensorLike[];
  readonly b: TensorLike[];
  readonly masks?: TensorLike[];
}

/** The model's input standardisation (src/dnn/interference/features.ts's FeatureScale): ln G's mean and sd, direct and cross gains apart. */
export interface LogGainScale {
  diagMean: number;
  diagSd: number;
  crossMean: number;
  crossSd: number;
}

/** ln of gains below this is taken at it (features.ts: a zero gain stays finite). */
const GAIN_FLOOR = 1e-30;

/** Layer l's weights [din, dout] and bias [dout] as task t sees them (masks and per-task weights folded in). */
function taskLayer(net: InterferenceNetworkLike, l: number, t: number): { w: Float32Array; b: Float32Array } {
  const dout = net.widths[l + 1];
  const size = net.widths[l] * dout;
  const wAll = readWeight(net.W[l]).values;
  const bAll = readWeight(net.b[l]).values;
  const w = net.perTask ? wAll.slice(t * size, (t + 1) * size) : wAll.slice();
  const b = net.perTask ? bAll.slice(t * dout, (t + 1) * dout) : bAll.slice();
  const mi = net.maskedLayers.indexOf(l);
  if (mi >= 0) {
    if (!net.masks) throw new Error('routed network has no binary masks yet (train past phase 1 first)');
    const mask = readWeight(net.masks[mi]).values.subarray(t * size, (t + 1) * size);
    for (let i = 0; i < size; i++) w[i] *= mask[i];
  }
  return { w, b };
}

/** The ONNX graph answering K pairs through task `task` of `net` (allocate.ts's taskFor chooses it). */
export function interferenceToOnnx(net: InterferenceNetworkLike, scale: LogGainScale, k: number, task: number): Uint8Array {
  const { scheme, sizes, maxPowerW } = net.config;
  if (!(sizes[task] >= k)) throw new Error(`task ${task} (K = ${sizes[task]}) cannot serve K = ${k}`);
  const g = new OnnxGraph(`radio-mtl ${scheme} interference K=${k}`);
  const gains = g.input('gains', ['batch', k, k], 'gains G[k][j] from transmitter j to receiver k, linear');
  const shape = g.node('Shape', [gains]);
  const flat = g.node('Reshape', [gains, g.int64s('flat_shape', [-1, k * k])]);
  const diagonal = g.node('Gather', [flat, g.int64s('diagonal', Array.from({ length: k }, (_, i) => i * (k + 1)))], { axis: { int: 1 } });
  // TopK keeps equal gains in pair order, like the stable sort of features.ts.
  const [, order] = g.nodeN('TopK', [diagonal, g.int64s('k', [k])], 2, { axis: { int: -1 }, largest: { int: 1 }, sorted: { int: 1 } });
  const rowIndex = g.node('Expand', [g.node('Unsqueeze', [order, g.int64s('axes', [2])]), shape]);
  const colIndex = g.node('Expand', [g.node('Unsqueeze', [order, g.int64s('axes', [1])]), shape]);
  const sorted = g.node('GatherElements', [g.node('GatherElements', [gains, rowIndex], { axis: { int: 1 } }), colIndex], { axis: { int: 2 } });
  // In float64 like features.ts, then rounded to the network's float32.
  const isDiag = (i: number) => Math.floor(i / k) === i % k;
  const mean = Array.from({ length: k * k }, (_, i) => (isDiag(i) ? scale.diagMean : scale.crossMean));
  const sd = Array.from({ length: k * k }, (_, i) => (isDiag(i) ? scale.diagSd : scale.crossSd));
  const logGain = g.node('Log', [g.node('Max', [g.node('Cast', [sorted], { to: { int: DataType.DOUBLE } }), g.doubleScalar('gain_floor', GAIN_FLOOR)])]);
  const z64 = g.node('Div', [g.node('Sub', [logGain, g.doubles('log_mean', mean, [k, k])]), g.doubles('log_sd', sd, [k, k])]);
  let h = g.node('Reshape', [g.node('Cast', [z64], { to: { int: DataType.FLOAT } }), g.int64s('x_shape', [-1, k * k])]);

  const layers = net.W.length;
  // Output columns: the first K of each head's maxK.
  const outColumns = Array.from({ length: net.heads * k }, (_, i) => Math.floor(i / k) * net.maxK + (i % k));
  for (let l = 0; l < layers; l++) {
    const { w, b } = taskLayer(net, l, task);
    const dout = net.widths[l + 1];
    const cols = l === layers - 1 ? outColumns : Array.from({ length: dout }, (_, i) => i);
    // Input rows: the K x K block of the maxK x maxK grid (first layer), every row after it.
    const rows = l === 0 ? Array.from({ length: k * k }, (_, i) => Math.floor(i / k) * net.maxK + (i % k)) : Array.from({ length: net.widths[l] }, (_, i) => i);
    const wUsed = Float32Array.from({ length: rows.length * cols.length }, (_, i) => w[rows[Math.floor(i / cols.length)] * dout + cols[i % cols.length]]);
    let bUsed = Float32Array.from(cols, (c) => b[c]);
    if (l === 0 && scheme === 'zero-padding') {
      // The task-index input (t + 1) / T at the last position is a constant: folded into the bias.
      const idx = net.widths[0] - 1;
      bUsed = bUsed.map((v, j) => v + ((task + 1) / net.T) * w[idx * dout + j]);
    }
    const z = g.node('Add', [g.node('MatMul', [h, g.floats(`W${l}`, wUsed, [rows.length, cols.length])]), g.floats(`b${l}`, bUsed, [cols.length])]);
    h = l < layers - 1 ? g.node('Relu', [z]) : z;
  }
  const power = g.node('Mul', [logistic(g, h), g.scalar('max_power_w', maxPowerW)]);
  if (net.heads === 1) {
    // Position i of a sorted instance belongs to pair order[i].
    g.output(g.node('ScatterElements', [power, order, power], { axis: { int: 1 } }), 'power', ['batch', k], 'transmit power per pair, W');
  } else {
    const candidates = g.node('Reshape', [power, g.int64s('heads_shape', [-1, net.heads, k])]);
    const headOrder = g.node('Expand', [g.node('Unsqueeze', [order, g.int64s('axes', [1])]), g.node('Shape', [candidates])]);
    const unsorted = g.node('ScatterElements', [candidates, headOrder, candidates], { axis: { int: 2 } });
    g.output(bestHeadNode(g, gains, unsorted, k, net.heads, maxPowerW, net.config.noisePowerW), 'power', ['batch', k], 'transmit power per pair, W (the head of highest sum rate)');
  }
  return g.toBytes(`radio-mtl ${scheme} interference network, K = ${k} pairs (task K = ${sizes[task]}): gains -> power (W)`, { problem: 'interference', k: String(k), task: String(sizes[task]), scheme });
}

/**
 * The candidate [batch, M, K] of highest sum rate per instance, as src/dnn/interference/
 * heads.ts picks it: rates in float64 from the float32 gains and the candidates clamped to
 * Pmax, the first head on a tie (ArgMax).
 */
function bestHeadNode(g: OnnxGraph, gains: string, candidates: string, k: number, heads: number, maxPowerW: number, noisePowerW: number | undefined): string {
  if (noisePowerW === undefined) throw new Error('a network with several heads needs noisePowerW in its configuration to choose between them');
  const eye = Array.from({ length: k * k }, (_, i) => (Math.floor(i / k) === i % k ? 1 : 0));
  const g64 = g.node('Cast', [gains], { to: { int: DataType.DOUBLE } });
  const p64 = g.node('Min', [g.node('Cast', [candidates], { to: { int: DataType.DOUBLE } }), g.doubleScalar('max_power_w64', maxPowerW)]);
  const cross = g.node('Mul', [g64, g.doubles('off_diagonal', eye.map((v) => 1 - v), [k, k])]);
  const direct = g.node('ReduceSum', [g.node('Mul', [g64, g.doubles('eye', eye, [k, k])]), g.int64s('axes', [2])], { keepdims: { int: 0 } });
  // interference[b, m, k] = sum_j p[b, m, j] G[b, k, j] (j != k)
  const interference = g.node('MatMul', [p64, g.node('Transpose', [cross], { perm: { ints: [0, 2, 1] } })]);
  const signal = g.node('Mul', [p64, g.node('Unsqueeze', [direct, g.int64s('axes', [1])])]);
  const sinr = g.node('Div', [signal, g.node('Add', [interference, g.doubleScalar('noise_power_w', noisePowerW)])]);
  const rate = g.node('ReduceSum', [g.node('Log', [g.node('Add', [sinr, g.doubleScalar('one64', 1)])]), g.int64s('axes', [2])], { keepdims: { int: 0 } });
  const best = g.node('ArgMax', [rate], { axis: { int: 1 }, keepdims: { int: 1 }, select_last_index: { int: 0 } });
  const index = g.node('Expand', [g.node('Unsqueeze', [best, g.int64s('axes', [2])]), g.int64s('index_shape', [1, 1, k])]);
  return g.node('Reshape', [g.node('GatherElements', [candidates, index], { axis: { int: 1 } }), g.int64s('answer_shape', [-1, k])]);
}
