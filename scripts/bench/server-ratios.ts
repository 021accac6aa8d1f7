/**
 * bench:server's ratios, measured interleaved in one run so that other jobs on the machine
 * slow every side alike: POST /v1/kpi/predict against an express hello-world parsing the same
 * body (scripts/bench/bench-server-baseline.ts), one window and 256 windows a request, and the KPI
 * engine's own windows/s at batch 256 (its forward pass alone, one thread, as bench:kpi's serving
 * number). Goals (issue 22): one window >= 90% of the hello-world's requests/s; 256 windows
 * >= 70% of the lower of the hello-world's and the engine's windows/s.
 */
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { createKpiPredictor } from '../../src/dnn/kpi/predict.js';
import { loadKpiModel } from '../../src/dnn/kpi/model.js';
import { ROOT } from '../shared/lib.js';
import { run, type Scenario } from './server-load.js';

export interface ServerRatios {
  rounds: number;
  connections: number;
  /** Best of the rounds: requests/s (one window) and windows/s (256 windows a request). */
  helloSingleRps: number;
  kpiSingleRps: number;
  helloBatchWps: number;
  kpiBatchWps: number;
  engineBatchWps: number;
  singleRatio: number;
  batchRatio: number;
  singleMet: boolean;
  batchMet: boolean;
  loadavg1: number[];
}

/** Starts the hello-world in its own process; its URL and a stop function. */
async function startBaseline(limit: number): Promise<{ url: string; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts/bench/bench-server-baseline.ts'), '--limit', String(limit)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`the hello-world baseline exited (${code}) before listening`)));
  });
  return { url, stop: () => new Promise((done) => (child.once('exit', () => done()), child.kill('SIGTERM'))) };
}

/** The engine's windows/s at batch `batch` for `seconds` of back-to-back forward passes (wall time). */
async function engineWindowsPerSecond(modelDir: string, batch: number, seconds: number): Promise<number> {
  const { model } = loadKpiModel(modelDir);
  const predictor = await createKpiPredictor(model, { intraOpThreads: 1 });
  const T = model.config.window;
  const x = Float32Array.from({ length: batch * T * 3 }, (_, i) => ((i * 7919) % 1000) / 1000);
  await predictor.predict(x);
  let passes = 0;
  const started = performance.now();
  while (performance.now() - started < seconds * 1000) {
    await predictor.predict(x);
    passes++;
  }
  const wps = (passes * batch * 1000) / (performance.now() - started);
  await predictor.dispose();
  return wps;
}

export async function measureServerRatios(opts: { url: string; kpiModelDir: string; window: number[][]; bodyLimit: number; connections: number; duration: number; rounds: number }): Promise<ServerRatios> {
  const baseline = await startBaseline(opts.bodyLimit);
  const one: Omit<Scenario, 'name'> = { path: '/v1/kpi/predict', body: { windows: [opts.window] }, items: 1 };
  const batch: Omit<Scenario, 'name'> = { path: '/v1/kpi/predict', body: { windows: Array.from({ length: 256 }, () => opts.window) }, items: 256 };
  const best = { helloSingle: 0, kpiSingle: 0, helloBatch: 0, kpiBatch: 0, engine: 0 };
  const load = loadavg();
  try {
    for (let r = 0; r < opts.rounds; r++) {
      const at = (url: string, s: Omit<Scenario, 'name'>, name: string) => run(url, { ...s, name: `${name} (round ${r + 1})` }, opts.connections, opts.duration, false);
      best.helloSingle = Math.max(best.helloSingle, (await at(baseline.url, one, 'hello-world, one window')).requestsPerSec);
      best.kpiSingle = Math.max(best.kpiSingle, (await at(opts.url, one, 'kpi predict, one window')).requestsPerSec);
      best.helloBatch = Math.max(best.helloBatch, (await at(baseline.url, batch, 'hello-world, 256 windows')).itemsPerSec);
      best.kpiBatch = Math.max(best.kpiBatch, (await at(opts.url, batch, 'kpi predict, 256 windows')).itemsPerSec);
      best.engine = Math.max(best.engine, await engineWindowsPerSecond(opts.kpiModelDir, 256, opts.duration));
    }
  } finally {
    await baseline.stop();
  }
  const singleRatio = best.kpiSingle / best.helloSingle;
  const batchRatio = best.kpiBatch / Math.min(best.helloBatch, best.engine);
  return {
    rounds: opts.rounds,
    connections: opts.connections,
    helloSingleRps: best.helloSingle,
    kpiSingleRps: best.kpiSingle,
    helloBatchWps: best.helloBatch,
    kpiBatchWps: best.kpiBatch,
    engineBatchWps: best.engine,
    singleRatio,
    batchRatio,
    singleMet: singleRatio >= 0.9,
    batchMet: batchRatio >= 0.7,
    loadavg1: [load[0], loadavg()[0]],
  };
}

/** The report's section. */
export function serverRatiosMarkdown(r: ServerRatios): string[] {
  const pct = (x: number) => `${(100 * x).toFixed(0)}%`;
  return [
    '## Ratios measured in one run (goals of issue 22)',
    '',
    `${r.rounds} interleaved rounds, best of each, autocannon with ${r.connections} connections, one server worker; the engine alone at batch 256 in the benchmark's process, one thread. ` +
      `1-minute load average ${r.loadavg1.map((v) => v.toFixed(2)).join(' -> ')}.`,
    '',
    '| goal | measured | met |',
    '|---|---|---|',
    `| one window: /v1/kpi/predict >= 90% of the hello-world's requests/s | ${r.kpiSingleRps.toFixed(0)} vs ${r.helloSingleRps.toFixed(0)} req/s: ${pct(r.singleRatio)} | ${r.singleMet ? 'yes' : 'no'} |`,
    `| 256 windows: /v1/kpi/predict >= 70% of the lower of the hello-world's and the engine's windows/s | ${r.kpiBatchWps.toFixed(0)} vs min(${r.helloBatchWps.toFixed(0)}, ${r.engineBatchWps.toFixed(0)}) windows/s: ${pct(r.batchRatio)} | ${r.batchMet ? 'yes' : 'no'} |`,
    '',
  ];
}
