/**
 * The KPI speed report (`npm run bench:kpi`): per architecture the tfjs training step,
 * the serving engine's inference and PyTorch's, each the minimum over interleaved
 * blocks. Pure: measuring happens in scripts/bench/bench-kpi.ts.
 */
import type { BestOf } from './interleave.js';
import { pytorchThreadsText, type PytorchInfo } from './python-worker.js';
import { comparedMs, comparedUnit, TFJS_WASM_THREADS_NOTE } from './threads.js';

export const KPI_BENCH_BATCH = 64;
export const KPI_INFER_BATCH = 640;

/** What was measured for one architecture. torch* are null when PyTorch is unavailable. */
export interface KpiArchMeasure {
  params: number;
  macs: number;
  torchParams: number | null;
  tfjsStep: BestOf;
  servingBatch640: BestOf;
  servingBatch1: BestOf;
  torchStep: BestOf | null;
  torchBatch640: BestOf | null;
  torchBatch1: BestOf | null;
  date: string;
  loadAverage: number[];
  warning: string | null;
}

export interface KpiSpeedMeta {
  hidden: number;
  window: number;
  context: number;
  rounds: number;
  /** PyTorch's and ONNX Runtime's threads (tfjs-wasm: one); above 1 the ratios compare wall time. */
  threads?: number;
  reps: { step: number; batch640: number; batch1: number };
  tfjsBackend: string;
  servingEngine: string;
  pytorch: PytorchInfo;
  machine: Record<string, unknown>;
}


/** The JSON document: tfjs[arch], serving[arch] + serving.engine, torch[arch], runs[arch]. */
export function kpiSpeedDoc(meta: KpiSpeedMeta, measures: Record<string, KpiArchMeasure>) {
  const archs = Object.keys(measures);
  const threads = meta.threads ?? 1;
  const windowsPerSecond = (b: BestOf | null) => (b ? (KPI_INFER_BATCH * 1000) / comparedMs(b, threads) : null);
  const each = <T>(f: (m: KpiArchMeasure) => T) => Object.fromEntries(archs.map((a) => [a, f(measures[a])]));
  return {
    ...meta,
    batch: KPI_BENCH_BATCH,
    inferenceBatch: KPI_INFER_BATCH,
    threads,
    tfjs: each((m) => ({ params: m.params, macs: m.macs, stepCpuMs: m.tfjsStep.cpuMs, stepWallMs: m.tfjsStep.wallMs })),
    serving: {
      engine: meta.servingEngine,
      ...each((m) => ({
        inferenceWindowsPerSecondBatch640: windowsPerSecond(m.servingBatch640),
        inferenceWallMsBatch640: m.servingBatch640.wallMs,
        latencyMsBatch1: m.servingBatch1.wallMs,
        latencyCpuMsBatch1: m.servingBatch1.cpuMs,
      })),
    },
    torch: each((m) => ({
      params: m.torchParams,
      stepCpuMs: m.torchStep?.cpuMs ?? null,
      stepWallMs: m.torchStep?.wallMs ?? null,
      inferenceWindowsPerSecondBatch640: windowsPerSecond(m.torchBatch640),
      inferenceWallMsBatch640: m.torchBatch640?.wallMs ?? null,
      latencyMsBatch1: m.torchBatch1?.wallMs ?? null,
      latencyCpuMsBatch1: m.torchBatch1?.cpuMs ?? null,
    })),
    runs: each((m) => ({ date: m.date, loadAverage: m.loadAverage, warning: m.warning })),
  };
}

export type KpiSpeedDoc = ReturnType<typeof kpiSpeedDoc>;

const f = (x: number | null | undefined, digits: number) => (x === null || x === undefined ? '-' : x.toFixed(digits));
const ratio = (a: number | null, b: number | null) => (a !== null && b !== null ? (a / b).toFixed(2) : '-');

export function kpiSpeedMarkdown(doc: KpiSpeedDoc): string {
  const archs = Object.keys(doc.tfjs);
  // The warning of the busiest run stands for all (every row shows its own load).
  const busiest = archs.map((a) => doc.runs[a]).sort((x, y) => y.loadAverage[0] - x.loadAverage[0])[0];
  const serving = doc.serving as unknown as Record<string, { inferenceWindowsPerSecondBatch640: number | null; latencyMsBatch1: number }>;
  const unit = comparedUnit(doc.threads);
  const step = (s: { stepCpuMs: number | null; stepWallMs: number | null }) => (doc.threads > 1 ? s.stepWallMs : s.stepCpuMs);
  return [
    `# KPI models: speed (H = ${doc.hidden}, window ${doc.window}, context ${doc.context}, ${doc.threads > 1 ? `${doc.threads} threads` : 'one thread'})`,
    '',
    `Made by \`npm run bench:kpi${doc.threads > 1 ? ` -- --threads ${doc.threads}` : ''}\`: ${doc.rounds} interleaved rounds (tfjs, PyTorch, serving, PyTorch ... per model), the minimum of each. ` +
      `Training step: batch ${doc.batch}, Adam, ${unit} per step. Inference: windows/s per ${doc.threads > 1 ? 'wall' : 'CPU'} second at batch ${doc.inferenceBatch}, and wall latency at batch 1.`,
    ...(doc.threads > 1 ? [`PyTorch and ONNX Runtime at ${doc.threads} threads; ${TFJS_WASM_THREADS_NOTE}.`] : []),
    `tfjs backend ${doc.tfjsBackend}; serving engine ${doc.servingEngine}; ` +
      (doc.pytorch.available ? `PyTorch ${doc.pytorch.version} (scripts/bench/bench-kpi-torch.py, same shapes; ${pytorchThreadsText(doc.pytorch)}).` : `PyTorch not measured (its columns are null): ${doc.pytorch.reason}.`),
    '',
    ...(busiest?.warning ? [`**Warning:** ${busiest.warning}.`, ''] : []),
    `| Model | Params | tfjs step (${unit}) | PyTorch step (${unit}) | tfjs / PyTorch | serving (windows/s, batch 640) | PyTorch (windows/s) | PyTorch / serving | serving latency batch 1 (ms) | PyTorch latency (ms) | load average |`,
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|',
    ...archs.map((a) => {
      const t = doc.tfjs[a];
      const p = doc.torch[a];
      const s = serving[a];
      return (
        `| ${a} | ${t.params} | ${f(step(t), 1)} | ${f(step(p), 1)} | ${ratio(step(t), step(p))} | ${f(s.inferenceWindowsPerSecondBatch640, 0)} | ` +
        `${f(p.inferenceWindowsPerSecondBatch640, 0)} | ${ratio(p.inferenceWindowsPerSecondBatch640, s.inferenceWindowsPerSecondBatch640)} | ${f(s.latencyMsBatch1, 2)} | ${f(p.latencyMsBatch1, 2)} | ` +
        `${doc.runs[a].loadAverage.map((v) => v.toFixed(1)).join(' ')} |`
      );
    }),
    '',
    `Machine: ${String(doc.machine.cpu)}, ${String(doc.machine.cores)} cores, Node ${String(doc.machine.node)}. Wall times are in speed.json beside this file.`,
    '',
  ].join('\n');
}
