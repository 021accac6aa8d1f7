/**
 * WMMSE against the interference DNN on the serving engine, per K, one instance at a time
 * and in bulk (batch 4,096), in microseconds per instance (part of the solver benchmark,
 * src/bench/solvers.ts). The two run in interleaved blocks (src/bench/interleave.ts), so a
 * burst of load from other jobs hits both and the ratios stay fair on a shared machine; each
 * keeps the least disturbed block (minimum CPU time per instance).
 *
 * WMMSE is the vectorised batch solver of src/solvers/wmmse.ts from full power, with its
 * default iteration cap and tolerance (a batch stops when every instance has converged).
 */
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { interferenceGains } from '../channels/interference.js';
import { initEngine } from '../dnn/engine.js';
import { loadInterferenceModel } from '../dnn/interference/model.js';
import { createInterferencePredictor, type InterferencePredictor } from '../dnn/interference/predict.js';
import { seededUniform } from '../random.js';
import type { InterferenceParams } from '../solvers/params.js';
import { fullPower, wmmse } from '../solvers/wmmse.js';
import { interleave, timeBlock, timeBlockAsync } from './interleave.js';

/** The interference model shipped with the package (found from this file, in src/ or dist/). */
export const SHIPPED_INTERFERENCE_MODEL = fileURLToPath(new URL('../../models/interference-routed', import.meta.url));
export const INTERFERENCE_BULK_BATCH = 4096;
/** Goals of issue 23: the DNN in bulk >= 20x faster per instance than WMMSE; one instance faster than one WMMSE run. */
const BULK_SPEEDUP_GOAL = 20;

export interface InterferenceSpeedRow {
  k: number;
  /** CPU microseconds per instance (minimum over interleaved blocks). */
  wmmse1Us: number;
  dnn1Us: number;
  wmmseBulkUs: number;
  dnnBulkUs: number;
  /** Wall microseconds per instance of the same four (minimum over the same blocks). */
  wallUs: { wmmse1: number; dnn1: number; wmmseBulk: number; dnnBulk: number };
  /** Mean WMMSE iterations over the bulk instances (what its time is made of). */
  wmmseIterations: number;
}

export interface InterferenceSpeed {
  model: string;
  engine: string | null;
  channel: string | null;
  /** Why nothing was measured, when nothing was. */
  reason: string | null;
  rows: InterferenceSpeedRow[];
}

/** Loads the model on the serving engine (ONNX Runtime with one intra-op thread when it loads, else tfjs). */
async function loadPredictor(dir: string): Promise<{ predictor: InterferencePredictor; sizes: number[]; params: InterferenceParams; engine: string }> {
  const backend = await initEngine();
  const { net, manifest } = loadInterferenceModel(dir);
  let fallback = '';
  const predictor = await createInterferencePredictor(net, manifest.scale, { intraOpThreads: 1, onFallback: (why) => (fallback = ` (${why})`) });
  const engine = predictor.engine === 'tfjs' ? `tfjs-${backend}${fallback}` : predictor.engine;
  return { predictor, sizes: manifest.config.sizes, params: manifest.params, engine };
}

async function benchK(predictor: InterferencePredictor, params: InterferenceParams, k: number, scale: number): Promise<InterferenceSpeedRow> {
  const singles = Math.max(20, Math.round(200 * scale));
  const bulk = INTERFERENCE_BULK_BATCH;
  const one = interferenceGains(seededUniform(`bench-solvers:interference:one:${params.channel}:${k}`), singles, k, params);
  const many = interferenceGains(seededUniform(`bench-solvers:interference:bulk:${params.channel}:${k}`), bulk, k, params);
  const start1 = fullPower(1, k, params);
  const startBulk = fullPower(bulk, k, params);
  let i = 0;
  const next = () => one.subarray((i = (i + 1) % singles) * k * k, (i + 1) * k * k);
  const rounds = Math.max(2, Math.round(3 * scale));
  const best = await interleave(
    [
      { name: 'wmmse1', block: () => timeBlock(() => wmmse(next(), 1, k, params, start1), singles) },
      { name: 'dnn1', block: () => timeBlockAsync(() => predictor.predict(next(), 1, k), singles) },
      { name: 'wmmseBulk', block: () => timeBlock(() => wmmse(many, bulk, k, params, startBulk), 1) },
      { name: 'dnnBulk', block: () => timeBlockAsync(() => predictor.predict(many, bulk, k), 1) },
    ],
    rounds,
  );
  const us = (name: string, per = 1) => (1000 * best[name].cpuMs) / per;
  const wall = (name: string, per = 1) => (1000 * best[name].wallMs) / per;
  const wmmseIterations = wmmse(many, bulk, k, params, startBulk).iterations.reduce((a, b) => a + b, 0) / bulk;
  return {
    k,
    wmmse1Us: us('wmmse1'),
    dnn1Us: us('dnn1'),
    wmmseBulkUs: us('wmmseBulk', bulk),
    dnnBulkUs: us('dnnBulk', bulk),
    wallUs: { wmmse1: wall('wmmse1'), dnn1: wall('dnn1'), wmmseBulk: wall('wmmseBulk', bulk), dnnBulk: wall('dnnBulk', bulk) },
    wmmseIterations,
  };
}

/** WMMSE vs the DNN at every K the model was trained on; empty rows and a reason when the model does not load. */
export async function interferenceSpeed(dir: string, scale: number, log: (m: string) => void = () => {}): Promise<InterferenceSpeed> {
  let loaded;
  try {
    loaded = await loadPredictor(dir);
  } catch (err) {
    return { model: dir, engine: null, channel: null, reason: (err as Error).message, rows: [] };
  }
  const rows: InterferenceSpeedRow[] = [];
  for (const k of loaded.sizes) {
    const row = await benchK(loaded.predictor, loaded.params, k, scale);
    log(`interference K=${k}: WMMSE ${row.wmmse1Us.toFixed(1)} us vs DNN ${row.dnn1Us.toFixed(1)} us one at a time; ${row.wmmseBulkUs.toFixed(2)} vs ${row.dnnBulkUs.toFixed(3)} us per instance at batch ${INTERFERENCE_BULK_BATCH}`);
    rows.push(row);
  }
  await loaded.predictor.dispose();
  return { model: dir, engine: loaded.engine, channel: loaded.params.channel, reason: null, rows };
}

const f = (x: number) => (x < 10 ? x.toFixed(2) : x.toFixed(1));

export function interferenceSpeedMarkdown(s: InterferenceSpeed): string[] {
  const head = ['## Interference channel: WMMSE against the DNN', ''];
  if (!s.rows.length) return [...head, `Not measured: ${s.reason ?? 'no row'}.`, ''];
  const bulkRatios = s.rows.map((r) => r.wmmseBulkUs / r.dnnBulkUs);
  const oneRatios = s.rows.map((r) => r.wmmse1Us / r.dnn1Us);
  return [
    ...head,
    `CPU microseconds per instance (minimum over interleaved blocks). WMMSE: src/solvers/wmmse.ts from full power (at most 100 iterations, ` +
      `tolerance 1e-3 bits), vectorised over the batch. DNN: ${basename(s.model)} (${s.channel} channel) on the serving engine (${s.engine}), ` +
      `one call per instance at batch 1, one call's time / ${INTERFERENCE_BULK_BATCH} in bulk. Instances: seeded ${s.channel} channels.`,
    '',
    `| K | WMMSE, one | DNN, one | WMMSE / DNN, one | WMMSE, batch ${INTERFERENCE_BULK_BATCH} | DNN, batch ${INTERFERENCE_BULK_BATCH} | WMMSE / DNN, batch |`,
    '|---:|---:|---:|---:|---:|---:|---:|',
    ...s.rows.map((r, i) => `| ${r.k} | ${f(r.wmmse1Us)} | ${f(r.dnn1Us)} | ${oneRatios[i].toFixed(1)}x | ${f(r.wmmseBulkUs)} | ${r.dnnBulkUs.toFixed(3)} | ${bulkRatios[i].toFixed(1)}x |`),
    '',
    'Wall time, microseconds per instance (minimum over the same blocks; both sides run one thread), and WMMSE iterations (mean over the bulk instances):',
    '',
    `| K | WMMSE, one | DNN, one | WMMSE / DNN, one | WMMSE, batch ${INTERFERENCE_BULK_BATCH} | DNN, batch ${INTERFERENCE_BULK_BATCH} | WMMSE / DNN, batch | WMMSE iterations |`,
    '|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...s.rows.map(({ k, wallUs: w, wmmseIterations }) =>
      `| ${k} | ${f(w.wmmse1)} | ${f(w.dnn1)} | ${(w.wmmse1 / w.dnn1).toFixed(1)}x | ${f(w.wmmseBulk)} | ${w.dnnBulk.toFixed(3)} | ${(w.wmmseBulk / w.dnnBulk).toFixed(1)}x | ${wmmseIterations.toFixed(1)} |`,
    ),
    '',
    `Goals (issue 23): in bulk the DNN >= ${BULK_SPEEDUP_GOAL}x faster per instance than WMMSE at every K: smallest ratio ${Math.min(...bulkRatios).toFixed(1)}x, ` +
      `${Math.min(...bulkRatios) >= BULK_SPEEDUP_GOAL ? 'met' : 'NOT met'}; one instance faster than one WMMSE run: smallest ratio ${Math.min(...oneRatios).toFixed(1)}x, ` +
      `${Math.min(...oneRatios) > 1 ? 'met' : 'NOT met'}.`,
    '',
  ];
}
