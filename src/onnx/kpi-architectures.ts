/**
 * The bodies of the six KPI architectures as ONNX graphs, mirroring src/dnn/kpi/*.ts at
 * inference (dropout off). Each takes the time-major context x [C, B, F] and returns the
 * four task heads: rsrp, rsrq, sinr [B, 1] and the interference logits [B, 2].
 * Expert and unit counts are read from the weights' shapes and names.
 */
import type { OnnxGraph } from './graph.js';
import { lstm, mixExperts, softmax } from './layers.js';
import { KPI_TASKS, type KpiWeights } from './kpi-weights.js';

export type ArchGraph = (g: OnnxGraph, x: string, w: KpiWeights) => string[];

const lastState = (g: OnnxGraph, x: string, w: KpiWeights, prefix: string): string => lstm(g, x, prefix, w.lstm(prefix), w.hidden).last;

/** Gating network Linear-ReLU-Linear-softmax on `input`, mixing `n` experts [B, n*H]. */
function gatedMix(g: OnnxGraph, w: KpiWeights, experts: string, n: number, gate1: string, gate2: string, input: string): string {
  const weights = softmax(g, w.linear(g, g.node('Relu', [w.linear(g, input, gate1)]), gate2));
  return mixExperts(g, experts, weights, n, w.hidden);
}

/** Slice k of axis `axis` with that axis removed. */
function pick(g: OnnxGraph, x: string, k: number, axis: number): string {
  return g.node('Gather', [x, g.int64Scalar('index', k)], { axis: { int: axis } });
}

const stl: ArchGraph = (g, x, w) => KPI_TASKS.map((t) => w.tower(g, lastState(g, x, w, `lstm.${t}`), `head.${t}`));

const hardSharing: ArchGraph = (g, x, w) => {
  const h = lastState(g, x, w, 'lstm');
  return KPI_TASKS.map((t) => w.tower(g, h, `tower.${t}`));
};

const mmoe: ArchGraph = (g, x, w) => {
  const h = lastState(g, x, w, 'lstm');
  const n = w.experts('experts');
  const experts = g.node('Relu', [w.linear(g, h, 'experts')]);
  return KPI_TASKS.map((t) => w.tower(g, gatedMix(g, w, experts, n, `gate.${t}.1`, `gate.${t}.2`, h), `tower.${t}`));
};

const crossStitch: ArchGraph = (g, x, w) => {
  const K = KPI_TASKS.length;
  const feats = KPI_TASKS.map((t) => g.node('Unsqueeze', [lastState(g, x, w, `lstm.${t}`), g.int64s('axes', [0])]));
  // Stacked task features [K, B*H]; each unit mixes them with its K x K alpha.
  let s = g.node('Reshape', [g.node('Concat', feats, { axis: { int: 0 } }), g.int64s('shape', [K, -1])]);
  const units = w.count(/^stitch\.\d+$/);
  for (let u = 0; u < units; u++) {
    const a = w.get(`stitch.${u}`);
    s = g.node('MatMul', [g.floats(`stitch.${u}`, a.values, a.dims), s]);
  }
  const out = g.node('Reshape', [s, g.int64s('shape', [K, -1, w.hidden])]);
  return KPI_TASKS.map((t, k) => w.linear(g, pick(g, out, k, 0), `head.${t}`));
};

const ple: ArchGraph = (g, x, w) => {
  const h = lastState(g, x, w, 'lstm');
  const K = KPI_TASKS.length;
  const layers = w.count(/^ple\d+\.shared\.w$/);
  let taskIn: string[] = KPI_TASKS.map(() => h);
  let sharedIn = h;
  for (let l = 0; l < layers; l++) {
    const S = w.experts(`ple${l}.shared`);
    const P = w.experts(`ple${l}.${KPI_TASKS[0]}.experts`);
    const sharedEx = g.node('Relu', [w.linear(g, sharedIn, `ple${l}.shared`)]);
    const taskEx = KPI_TASKS.map((t, k) => g.node('Relu', [w.linear(g, taskIn[k], `ple${l}.${t}.experts`)]));
    const nextTask = KPI_TASKS.map((t, k) => {
      const experts = g.node('Concat', [sharedEx, taskEx[k]], { axis: { int: 1 } });
      return gatedMix(g, w, experts, S + P, `ple${l}.${t}.gate1`, `ple${l}.${t}.gate2`, taskIn[k]);
    });
    if (w.has(`ple${l}.shared.gate1.w`)) {
      const experts = g.node('Concat', [sharedEx, ...taskEx], { axis: { int: 1 } });
      sharedIn = gatedMix(g, w, experts, S + K * P, `ple${l}.shared.gate1`, `ple${l}.shared.gate2`, sharedIn);
    }
    taskIn = nextTask;
  }
  return KPI_TASKS.map((t, k) => w.tower(g, taskIn[k], `tower.${t}`));
};

const attention: ArchGraph = (g, x, w) => {
  const H = w.hidden;
  const { states } = lstm(g, x, 'lstm', w.lstm('lstm'), H); // [C, B, H]
  const [keys, values] = g.nodeN('Split', [w.linear(g, states, 'attn.kv')], 2, { axis: { int: 2 } });
  const q = w.get('attn.queries');
  const scores = g.node('Mul', [g.node('MatMul', [keys, g.floats('attn.queries', q.values, q.dims)]), g.scalar('inv_sqrt_h', 1 / Math.sqrt(H))]); // [C, B, K]
  const weights = softmax(g, g.node('Transpose', [scores], { perm: { ints: [1, 2, 0] } })); // [B, K, C] over steps
  const context = g.node('MatMul', [weights, g.node('Transpose', [values], { perm: { ints: [1, 0, 2] } })]); // [B, K, H]
  return KPI_TASKS.map((t, k) => w.linear(g, pick(g, context, k, 1), `head.${t}`));
};

export const ARCH_GRAPHS: Readonly<Record<string, ArchGraph>> = {
  stl,
  'hard-sharing': hardSharing,
  mmoe,
  'cross-stitch': crossStitch,
  ple,
  attention,
};
