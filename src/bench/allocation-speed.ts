/**
 * The allocation training-step speed report (`npm run bench:allocation`): the routed
 * multi-task DNN's phase 1 (bDNN + rDNN) and phase 2 (masks frozen) steps in tfjs and
 * PyTorch, each the minimum over interleaved blocks. Pure: scripts/bench/bench-allocation.ts measures.
 */
import type { BestOf } from './interleave.js';
import { pytorchThreadsText, type PytorchInfo } from './python-worker.js';
import { comparedUnit, TFJS_WASM_THREADS_NOTE } from './threads.js';

export const ALLOCATION_PHASES = ['phase1', 'phase2'] as const;
export type AllocationPhase = (typeof ALLOCATION_PHASES)[number];

export interface AllocationSpeedInput {
  rounds: number;
  stepsPerBlock: number;
  /** PyTorch's threads (tfjs-wasm: one); above 1 the ratios compare wall time. Default 1. */
  threads?: number;
  tfjsBackend: string;
  pytorch: PytorchInfo;
  machine: Record<string, unknown>;
  date: string;
  loadAverage: number[];
  warning: string | null;
  tfjs: Record<AllocationPhase, BestOf>;
  torch: Record<AllocationPhase, BestOf> | null;
}

export function allocationSpeedDoc(input: AllocationSpeedInput) {
  const { tfjs, torch, ...meta } = input;
  const phases = <T>(f: (p: AllocationPhase) => T) => Object.fromEntries(ALLOCATION_PHASES.map((p) => [p, f(p)])) as Record<AllocationPhase, T>;
  return {
    ...meta,
    threads: meta.threads ?? 1,
    tasks: 14,
    batchPerTask: 32,
    tfjs: phases((p) => ({ stepCpuMs: tfjs[p].cpuMs, stepWallMs: tfjs[p].wallMs })),
    torch: phases((p) => ({ stepCpuMs: torch?.[p].cpuMs ?? null, stepWallMs: torch?.[p].wallMs ?? null })),
  };
}

export type AllocationSpeedDoc = ReturnType<typeof allocationSpeedDoc>;

const f = (x: number | null) => (x === null ? '-' : x.toFixed(2));

export function allocationSpeedMarkdown(doc: AllocationSpeedDoc): string {
  const row = (label: string, get: (p: AllocationPhase) => string) => `| ${label} | ${ALLOCATION_PHASES.map(get).join(' | ')} |`;
  const wall = doc.threads > 1;
  const step = (s: { stepCpuMs: number | null; stepWallMs: number | null }) => (wall ? s.stepWallMs : s.stepCpuMs);
  const ratio = (p: AllocationPhase) => {
    const t = step(doc.torch[p]);
    return t === null ? '-' : `${((step(doc.tfjs[p]) as number) / t).toFixed(2)}x`;
  };
  return [
    `# Routed multi-task DNN: training-step speed (14 tasks x batch 32, ${wall ? `PyTorch at ${doc.threads} threads` : 'one thread'}, ${comparedUnit(doc.threads)} per step)`,
    '',
    `Made by \`npm run bench:allocation${doc.threads > 1 ? ` -- --threads ${doc.threads}` : ''}\` on ${doc.date}: ${doc.rounds} interleaved rounds of ${doc.stepsPerBlock} steps (tfjs phase 1, PyTorch phase 1, tfjs phase 2, PyTorch phase 2), the minimum of each; ` +
      `load average ${doc.loadAverage.map((v) => v.toFixed(2)).join(' ')}.`,
    `tfjs backend ${doc.tfjsBackend}; ` +
      (doc.pytorch.available ? `PyTorch ${doc.pytorch.version} (scripts/bench/bench-allocation-torch.py, same network; ${pytorchThreadsText(doc.pytorch)}).` : `PyTorch not measured (its fields are null): ${doc.pytorch.reason}.`),
    '',
    ...(wall ? [`${TFJS_WASM_THREADS_NOTE}.`, ''] : []),
    ...(doc.warning ? [`**Warning:** ${doc.warning}.`, ''] : []),
    '| | phase 1 (bDNN + rDNN) | phase 2 (bDNN, masks frozen) |',
    '|---|---:|---:|',
    row(`radio-mtl, tfjs-${doc.tfjsBackend}, 1 thread`, (p) => f(step(doc.tfjs[p]))),
    row(`PyTorch, ${doc.threads} thread${doc.threads > 1 ? 's' : ''}`, (p) => f(step(doc.torch[p]))),
    row('tfjs / PyTorch', ratio),
    '',
    `Machine: ${String(doc.machine.cpu)}, ${String(doc.machine.cores)} cores, Node ${String(doc.machine.node)}. Wall times are in speed.json beside this file.`,
    '',
  ].join('\n');
}
