/**
 * Fair speed comparisons on a shared machine: contenders run in interleaved blocks
 * (A, B, A, B, ...), so a burst of load from other jobs hits both, and each keeps the
 * minimum over its blocks (the run least disturbed). CPU time is kept beside wall
 * time: other processes inflate it less. The load average is recorded with every
 * result and a warning is raised above LOAD_WARNING.
 */
import { cpuUsage } from 'node:process';
import { performance } from 'node:perf_hooks';

/** Time of ONE operation, averaged over a block. */
export interface Sample {
  cpuMs: number;
  wallMs: number;
}

/** A contender: runs one block and returns its per-operation sample. */
export interface Contender {
  name: string;
  block(): Sample | Promise<Sample>;
}

export interface BestOf {
  /** Minimum over blocks (CPU and wall minimised independently). */
  cpuMs: number;
  wallMs: number;
  blocks: number;
}

/** Where time comes from; tests pass a fake one. */
export interface Clock {
  wallMs(): number;
  cpuMs(): number;
}

export const processClock: Clock = {
  wallMs: () => performance.now(),
  cpuMs: () => {
    const u = cpuUsage();
    return (u.user + u.system) / 1000;
  },
};

/** Runs `op` `reps` times and returns the mean time of one call. */
export function timeBlock(op: () => void, reps: number, clock: Clock = processClock): Sample {
  if (!(Number.isInteger(reps) && reps >= 1)) throw new Error(`reps must be an integer >= 1, got ${reps}`);
  const c0 = clock.cpuMs();
  const w0 = clock.wallMs();
  for (let i = 0; i < reps; i++) op();
  return { cpuMs: (clock.cpuMs() - c0) / reps, wallMs: (clock.wallMs() - w0) / reps };
}

/** timeBlock for an asynchronous operation (the serving engines answer with promises). */
export async function timeBlockAsync(op: () => Promise<unknown>, reps: number, clock: Clock = processClock): Promise<Sample> {
  if (!(Number.isInteger(reps) && reps >= 1)) throw new Error(`reps must be an integer >= 1, got ${reps}`);
  const c0 = clock.cpuMs();
  const w0 = clock.wallMs();
  for (let i = 0; i < reps; i++) await op();
  return { cpuMs: (clock.cpuMs() - c0) / reps, wallMs: (clock.wallMs() - w0) / reps };
}

/**
 * `rounds` rounds, each running one block of every contender in order; returns each
 * contender's minimum. `onBlock` sees every block (progress output).
 */
export async function interleave(
  contenders: readonly Contender[],
  rounds: number,
  onBlock: (name: string, round: number, sample: Sample) => void = () => {},
): Promise<Record<string, BestOf>> {
  if (!(Number.isInteger(rounds) && rounds >= 1)) throw new Error(`rounds must be an integer >= 1, got ${rounds}`);
  const best: Record<string, BestOf> = {};
  for (const c of contenders) best[c.name] = { cpuMs: Infinity, wallMs: Infinity, blocks: 0 };
  for (let r = 0; r < rounds; r++) {
    for (const c of contenders) {
      const s = await c.block();
      const b = best[c.name];
      best[c.name] = { cpuMs: Math.min(b.cpuMs, s.cpuMs), wallMs: Math.min(b.wallMs, s.wallMs), blocks: b.blocks + 1 };
      onBlock(c.name, r, s);
    }
  }
  return best;
}

/** Above this 1-minute load average the numbers are flagged as taken on a busy machine. */
export const LOAD_WARNING = 1.5;

/** The warning to print and record, or null on a quiet machine. */
export function loadWarning(loadAverage: readonly number[]): string | null {
  const now = loadAverage[0];
  return now > LOAD_WARNING
    ? `load average ${loadAverage.map((v) => v.toFixed(2)).join(' ')} is above ${LOAD_WARNING}: other jobs were running, so these numbers are slower than on a quiet machine and the ratios less reliable`
    : null;
}
