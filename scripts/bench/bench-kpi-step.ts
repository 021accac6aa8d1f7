/**
 * CPU milliseconds per step of the real KPI trainer (trainKpi: forward, backward, Adam,
 * batch building; H = 64, batch 64, window 35, full-window context by default) and
 * inference windows/s at batch 640 (predictKpi), for each architecture, on synthetic
 * windows with fixed seeds. A step's time is the minimum over the steps of one epoch
 * after two warm-up steps, and over --reps repetitions (architectures interleaved);
 * the load average is recorded. --src DIR runs another checkout's src/ (e.g. a
 * `git worktree` of an older commit) for before/after comparisons.
 *
 *   npx tsx scripts/bench/bench-kpi-step.ts [--archs stl,ple] [--context 35] [--reps 2] [--batches 12] [--src DIR] [--out FILE.jsonl]
 */
import { appendFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { WindowSet } from '../../src/datasets/kpi/windows.js';
import { intOpt, opt, readScriptOptions, ROOT } from '../shared/lib.js';

readScriptOptions({
  name: 'scripts/bench/bench-kpi-step.ts',
  summary: 'CPU ms per step of the real KPI trainer and inference windows/s at batch 640, per architecture, on synthetic windows (one JSON line).',
  options: {
    archs: { value: 'a,b', help: 'architectures (default all six)' },
    context: { value: 'C', help: 'LSTM context in steps (default 35)' },
    reps: { value: 'N', help: 'repetitions, architectures interleaved (default 2)' },
    batches: { value: 'N', help: 'training batches of 64 windows in the epoch (default 12; at least 3)' },
    src: { value: 'DIR', help: "another checkout's src/ to measure (default this one's)" },
    out: { value: 'FILE', help: 'append the JSON line to FILE' },
  },
});
const src = resolve(opt('src', join(ROOT, 'src')));
const load = (rel: string) => import(pathToFileURL(`${src}/${rel}`).href);
const { initEngine, tf } = await load('dnn/engine.js');
const { createKpiModel, KPI_ARCHS } = await load('dnn/kpi/registry.js');
const { trainKpi } = await load('dnn/kpi/trainer.js');
// predictKpi moved from trainer.js to predict.js; older checkouts (--src) have it in trainer.js.
const { predictKpi } = await load('dnn/kpi/predict.js').catch(() => load('dnn/kpi/trainer.js'));

const T = 35, F = 3, BATCH = 64;
const archs = opt('archs', (KPI_ARCHS as string[]).join(',')).split(',');
const context = intOpt('context', T);
const reps = intOpt('reps', 2);
const batches = intOpt('batches', 12, 3);

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
const train = windows(BATCH * batches, 1), val = windows(BATCH, 2), big = windows(640, 3);
const best: Record<string, { stepCpuMs: number; inferenceWindowsPerSecond: number }> = {};
for (let r = 0; r < reps; r++) {
  for (const arch of archs) {
    const model = createKpiModel(arch, { hidden: 64, context });
    const steps: number[] = [];
    let c0 = process.cpuUsage();
    const onStep = () => {
      steps.push(cpuMs(process.cpuUsage(c0)));
      c0 = process.cpuUsage();
    };
    // Today's trainer reports steps as events; older checkouts (--src) took an onStep callback.
    trainKpi(model, train, val, { epochs: 1, seed: 1, onStep, onEvent: (e: { type: string }) => e.type === 'step' && onStep() });
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
