/**
 * The allocation training-step speed report (`npm run bench:allocation`): the routed
 * multi-task DNN's phase 1 (bDNN + rDNN) and phase 2 (masks frozen) steps in tfjs and
 * PyTorch, each the minimum over interleaved blocks. Pure: scripts/bench/bench-allocation.ts measures.
 */
import type { BestOf } from './interleave.js';
import { pytorchThreadsText, type PytorchInfo } from './python-worker.js';

export const ALLOCATION_PHASES = ['phase1', 'phase2'] as const;
export type AllocationPhase = (typeof ALLOCATION_PHASES)[number];

export interface AllocationSpeedInput {
  rounds: number;
  stepsPerBlock: number;
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
  const ratio = (p: AllocationPhase) => {
    const t = doc.torch[p].stepCpuMs;
    return t === null ? '-' : `${(doc.tfjs[p].stepCpuMs / t).toFixed(2)}x`;
  };
  return [
    '# Routed multi-task DNN: training-step speed (14 tasks x batch 32, one thread, CPU ms per step)',
    '',
    `Made by \`npm run bench:allocation\` on ${doc.date}: ${doc.rounds} interleaved rounds of ${doc.stepsPerBlock} steps (tfjs phase 1, PyTorch phase 1, tfjs phase 2, PyTorch phase 2), the minimum of each; ` +
      `load average ${doc.loadAverage.map((v) => v.toFixed(2)).join(' ')}.`,
    `tfjs backend ${doc.tfjsBackend}; ` +
      (doc.pytorch.available ? `PyTorch ${doc.pytorch.version} (scripts/bench/bench-allocation-torch.py, same network; ${pytorchThreadsText(doc.pytorch)}).` : `PyTorch not measured (its fields are null): ${doc.pytorch.reason}.`),
    '',
    ...(doc.warning ? [`**Warning:** ${doc.warning}.`, ''] : []),
    '| | phase 1 (bDNN + rDNN) | phase 2 (bDNN, masks frozen) |',
    '|---|---:|---:|',
    row(`radio-mtl, tfjs-${doc.tfjsBackend}`, (p) => f(doc.tfjs[p].stepCpuMs)),
    row('PyTorch, 1 thread', (p) => f(doc.torch[p].stepCpuMs)),
    row('tfjs / PyTorch', ratio),
    '',
    `Machine: ${String(doc.machine.cpu)}, ${String(doc.machine.cores)} cores, Node ${String(doc.machine.node)}. Wall times are in results/allocation/speed.json.`,
    '',
  ].join('\n');
}
