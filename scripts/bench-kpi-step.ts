/**
 * CPU milliseconds per step of the real KPI trainer (trainKpi: forward, backward, Adam,
 * batch building; H = 64, batch 64, window 35, full-window context by default) and
 * inference windows/s at batch 640 (predictKpi), for each architecture, on synthetic
 * windows with fixed seeds. A step's time is the minimum over the steps of one epoch
 * after two warm-up steps, and over --reps repetitions (architectures interleaved);
 * the load average is recorded. --src DIR runs another checkout's src/ (e.g. a
 * `git worktree` of an older commit) for before/after comparisons.
 *
 *   npx tsx scripts/bench-kpi-step.ts [--archs stl,ple] [--context 35] [--reps 2] [--src DIR] [--out FILE.jsonl]
 */
import { appendFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { WindowSet } from '../src/datasets/windows.js';
import { opt, ROOT } from './lib.js';

const src = resolve(opt('src', join(ROOT, 'src')));
const load = (rel: string) => import(pathToFileURL(`${src}/${rel}`).href);
const { initEngine, tf } = await load('dnn/engine.js');
const { createKpiModel, KPI_ARCHS } = await load('dnn/kpi/registry.js');
const { trainKpi, predictKpi } = await load('dnn/kpi/trainer.js');

const T = 35, F = 3, BATCH = 64;
const archs = opt('archs', (KPI_ARCHS as string[]).join(',')).split(',');
const context = Number(opt('context', String(T)));
const reps = Number(opt('reps', '2'));

function windows(n: number, seed: number): WindowSet {
  let s = seed;
  const r = () => (s = (s * 16807) % 2147483647) / 2147483647;
  const x = new Float32Array(n * T * F).map(r);
  const last = new Float32Array(n * F);
  for (let i = 0; i < n; i++) for (let f = 0; f < F; f++) last[i * F + f] = x[(i * T + T - 1) * F + f];
  return { count: n, window: T, features: F, x, y: new Float32Array(n * F).map(r), last, label: Int32Array.from({ length: n }, (_, i) => i % 2), range: new Float32Array(n * F).fill(1), source: new Int32Array(n) };
}

const cpuMs = (c: NodeJS.CpuUsage) => (c.user + c.system) / 1000;
const backend = await initEngine(process.env.RADIO_MTL_BACKEND ?? 'wasm');
const train = windows(BATCH * 12, 1), val = windows(BATCH, 2), big = windows(640, 3);
const best: Record<string, { stepCpuMs: number; inferenceWindowsPerSecond: number }> = {};
for (let r = 0; r < reps; r++) {
  for (const arch of archs) {
    const model = createKpiModel(arch, { hidden: 64, context });
    const steps: number[] = [];
    let c0 = process.cpuUsage();
    trainKpi(model, train, val, {
      epochs: 1, seed: 1,
      onStep: () => {
        steps.push(cpuMs(process.cpuUsage(c0)));
        c0 = process.cpuUsage();
      },
    });
    predictKpi(model, big, 640);
    const c1 = process.cpuUsage();
    predictKpi(model, big, 640);
    const perSecond = 640 / (cpuMs(process.cpuUsage(c1)) / 1000);
    const prev = best[arch];
    best[arch] = { stepCpuMs: Math.min(prev?.stepCpuMs ?? Infinity, ...steps.slice(2)), inferenceWindowsPerSecond: Math.max(prev?.inferenceWindowsPerSecond ?? 0, perSecond) };
    tf.dispose(Object.values(model.params.vars));
  }
}
const line = JSON.stringify({ src, backend, context, reps, loadAverage: loadavg().map((v) => +v.toFixed(2)), date: new Date().toISOString(), results: best });
process.stdout.write(`${line}\n`);
const out = opt('out', '');
if (out) appendFileSync(out, `${line}\n`);
