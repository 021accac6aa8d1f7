/** Trainable parameter counts reported by a PyTorch benchmark script's --params mode. */
import { execFileSync } from 'node:child_process';

export function pythonParamCounts(python: string, script: string, args: string[]): Record<string, number> {
  return JSON.parse(execFileSync(python, [script, '--params', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })) as Record<string, number>;
}
