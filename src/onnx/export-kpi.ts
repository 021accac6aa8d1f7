/**
 * A trained KPI model as a stand-alone ONNX graph:
 * window [batch, T, 3] (SCALED RSRP, RSRQ, SINR, oldest step first) ->
 * next [batch, 3] (scaled next-step RSRP, RSRQ, SINR) and interference_logits [batch, 2].
 * The graph takes the context (last C steps), the last value, the autoregressive
 * highway's recent steps and the residual itself; scaling stays with the caller.
 * An ensemble (src/dnn/kpi/ensemble.ts) is one graph too: its members side by side on the same
 * window, their forecasts averaged and their logits log(mean of the members' softmax).
 */
import { OnnxGraph } from './graph.js';
import { ARCH_GRAPHS } from './kpi-architectures.js';
import { softmax, type TensorLike } from './layers.js';
import { KpiWeights } from './kpi-weights.js';

/** What the exporter reads from a KPI model (the loaded KpiModel satisfies it). */
export interface KpiModelLike {
  readonly config: { arch: string; hidden: number; window: number; context: number; features: number; residual: boolean };
  readonly params: { readonly vars: Readonly<Record<string, TensorLike>> };
  /** Ensembles only: the members, each exported as a model of its own. */
  readonly members?: readonly KpiModelLike[];
}

/** Steps [T - steps, T) of window [B, T, F]. */
function lastSteps(g: OnnxGraph, window: string, T: number, steps: number): string {
  return g.node('Slice', [window, g.int64s('starts', [T - steps]), g.int64s('ends', [T]), g.int64s('axes', [1])]);
}

/** The AR highway's input [B, A*F]: the last A steps minus the last value, zero-padded on the left when T < A. */
function recentSteps(g: OnnxGraph, window: string, last: string, T: number, F: number, arSteps: number): string {
  const L = Math.min(arSteps, T);
  let recent = g.node('Sub', [lastSteps(g, window, T, L), g.node('Unsqueeze', [last, g.int64s('axes', [1])])]);
  if (L < arSteps) recent = g.node('Pad', [recent, g.int64s('pads', [0, arSteps - L, 0, 0, 0, 0])]);
  return g.node('Reshape', [recent, g.int64s('shape', [-1, arSteps * F])]);
}

/** One (non-ensemble) model's scaled next step [B, F] and interference logits [B, 2] on the graph's window. */
function modelOutputs(g: OnnxGraph, window: string, model: KpiModelLike): { next: string; logits: string } {
  const { arch, hidden, window: T, context: C, features: F, residual } = model.config;
  const body = ARCH_GRAPHS[arch];
  if (!body) throw new Error(`unknown KPI architecture '${arch}' (known: ${Object.keys(ARCH_GRAPHS).join(', ')})`);
  const w = new KpiWeights(model.params.vars, hidden);
  const x = g.node('Transpose', [lastSteps(g, window, T, C)], { perm: { ints: [1, 0, 2] } }); // [C, B, F]
  const heads = body(g, x, w);
  let next = g.node('Concat', heads.slice(0, 3), { axis: { int: 1 } });
  if (residual) {
    const last = g.node('Reshape', [lastSteps(g, window, T, 1), g.int64s('shape', [-1, F])]);
    next = g.node('Add', [next, last]);
    if (w.has('ar.w')) next = g.node('Add', [next, w.linear(g, recentSteps(g, window, last, T, F, w.get('ar.w').dims[0] / F), 'ar')]);
  }
  return { next, logits: heads[3] };
}

/** The members' mean forecast, and log of their mean probabilities as logits (softmax gives the mean back). */
function ensembleOutputs(g: OnnxGraph, window: string, members: readonly KpiModelLike[]): { next: string; logits: string } {
  const outs = members.map((m) => modelOutputs(g, window, m));
  const n = g.scalar('members', members.length);
  const next = g.node('Div', [g.node('Sum', outs.map((o) => o.next)), n]);
  const prob = g.node('Div', [g.node('Sum', outs.map((o) => softmax(g, o.logits))), n]);
  return { next, logits: g.node('Log', [prob]) };
}

export function kpiModelToOnnx(model: KpiModelLike): Uint8Array {
  const { arch, hidden, window: T, context: C, features: F } = model.config;
  const g = new OnnxGraph(`radio-mtl kpi ${arch}`);
  const window = g.input('window', ['batch', T, F], 'scaled RSRP, RSRQ, SINR per step, oldest first');
  const { next, logits } = model.members ? ensembleOutputs(g, window, model.members) : modelOutputs(g, window, model);
  g.output(next, 'next', ['batch', F], 'scaled next-step RSRP, RSRQ, SINR');
  g.output(logits, 'interference_logits', ['batch', 2], 'logits of (no interference, interference)');
  const what = model.members ? `ensemble of ${model.members.map((m) => m.config.arch).join(', ')}` : arch;
  return g.toBytes(`radio-mtl KPI model (${what}, H = ${hidden}, window ${T}, context ${C}): scaled window -> scaled next step and interference logits`, {
    arch,
    window: String(T),
    context: String(C),
  });
}
