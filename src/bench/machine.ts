/** What every benchmark report records about where and from which code it ran. */
import { cpus, platform, release, totalmem } from 'node:os';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface MachineInfo {
  cpu: string;
  cores: number;
  node: string;
  os: string;
  totalMemoryBytes: number;
}

export function machineInfo(): MachineInfo {
  const cpu = cpus();
  return { cpu: cpu[0]?.model ?? 'unknown', cores: cpu.length, node: process.version, os: `${platform()} ${release()}`, totalMemoryBytes: totalmem() };
}

/** The checked-out commit, or null outside a git clone. */
export function gitCommit(): string | null {
  try {
    const cwd = fileURLToPath(new URL('.', import.meta.url));
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

export function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}
