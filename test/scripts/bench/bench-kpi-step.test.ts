/** scripts/bench/bench-kpi-step.ts measures the real trainer and predictor (it once called a predictKpi its module no longer had). */
import { runScript } from '../sweep.js';

it('prints one JSON line with a step time and an inference rate for the architecture asked', () => {
  const r = runScript('bench/bench-kpi-step.ts', ['--archs', 'hard-sharing', '--reps', '1', '--batches', '3']);
  expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
  const line = JSON.parse(r.stdout) as { reps: number; results: Record<string, { stepCpuMs: number; inferenceWindowsPerSecond: number }> };
  expect(Object.keys(line.results)).toEqual(['hard-sharing']);
  expect(line.results['hard-sharing'].stepCpuMs).toBeGreaterThan(0);
  expect(line.results['hard-sharing'].inferenceWindowsPerSecond).toBeGreaterThan(0);
}, 120_000);
