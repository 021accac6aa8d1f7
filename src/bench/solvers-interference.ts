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

/** Microseconds per instance of WMMSE and the DNN, one at a time and in bulk. */
export interface FourTimesUs {
  wmmse1: number;
  dnn1: number;
  wmmseBulk: number;
  dnnBulk: number;
}

export interface InterferenceSpeedRow {
  k: number;
  /** CPU microseconds per instance (minimum over interleaved blocks). */
  wmmse1Us: number;
  dnn1Us: number;
  wmmseBulkUs: number;
  dnnBulkUs: number;
  /** Wall microseconds per instance of the same four (minimum over the same blocks). */
  wallUs: FourTimesUs;
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
  // The timed bulk run's own iteration counts (the same instances every round).
  let bulkIterations: ArrayLike<number> = [];
  const best = await interleave(
    [
      { name: 'wmmse1', block: () => timeBlock(() => wmmse(next(), 1, k, params, start1), singles) },
      { name: 'dnn1', block: () => timeBlockAsync(() => predictor.predict(next(), 1, k), singles) },
      { name: 'wmmseBulk', block: () => timeBlock(() => (bulkIterations = wmmse(many, bulk, k, params, startBulk).iterations), 1) },
      { name: 'dnnBulk', block: () => timeBlockAsync(() => predictor.predict(many, bulk, k), 1) },
    ],
    rounds,
  );
  const us = (name: string, per = 1) => (1000 * best[name].cpuMs) / per;
  const wall = (name: string, per = 1) => (1000 * best[name].wallMs) / per;
  return {
    k,
    wmmse1Us: us('wmmse1'),
    dnn1Us: us('dnn1'),
    wmmseBulkUs: us('wmmseBulk', bulk),
    dnnBulkUs: us('dnnBulk', bulk),
    wallUs: { wmmse1: wall('wmmse1'), dnn1: wall('dnn1'), wmmseBulk: wall('wmmseBulk', bulk), dnnBulk: wall('dnnBulk', bulk) },
    wmmseIterations: Array.from(bulkIterations).reduce((a, b) => a + b, 0) / bulk,
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

const cpuTimes = (r: InterferenceSpeedRow): FourTimesUs => ({ wmmse1: r.wmmse1Us, dnn1: r.dnn1Us, wmmseBulk: r.wmmseBulkUs, dnnBulk: r.dnnBulkUs });

/** One table of the four times per K with their ratios, and `extra` columns after them. */
function timeTable(rows: InterferenceSpeedRow[], times: (r: InterferenceSpeedRow) => FourTimesUs, extra: { header: string; cell: (r: InterferenceSpeedRow) => string }[] = []): string[] {
  const b = INTERFERENCE_BULK_BATCH;
  return [
    `| K | WMMSE, one | DNN, one | WMMSE / DNN, one | WMMSE, batch ${b} | DNN, batch ${b} | WMMSE / DNN, batch |${extra.map((e) => ` ${e.header} |`).join('')}`,
    `|---:|---:|---:|---:|---:|---:|---:|${extra.map(() => '---:|').join('')}`,
    ...rows.map((r) => {
      const t = times(r);
      const cells = [f(t.wmmse1), f(t.dnn1), `${(t.wmmse1 / t.dnn1).toFixed(1)}x`, f(t.wmmseBulk), t.dnnBulk.toFixed(3), `${(t.wmmseBulk / t.dnnBulk).toFixed(1)}x`, ...extra.map((e) => e.cell(r))];
      return `| ${r.k} | ${cells.join(' | ')} |`;
    }),
  ];
}

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
    ...timeTable(s.rows, cpuTimes),
    '',
    'Wall time, microseconds per instance (minimum over the same blocks; both sides run one thread), and WMMSE iterations (mean over the bulk instances):',
    '',
    ...timeTable(s.rows, (r) => r.wallUs, [{ header: 'WMMSE iterations', cell: (r) => r.wmmseIterations.toFixed(1) }]),
    '',
    `Goals (issue 23): in bulk the DNN >= ${BULK_SPEEDUP_GOAL}x faster per instance than WMMSE at every K: smallest ratio ${Math.min(...bulkRatios).toFixed(1)}x, ` +
      `${Math.min(...bulkRatios) >= BULK_SPEEDUP_GOAL ? 'met' : 'NOT met'}; one instance faster than one WMMSE run: smallest ratio ${Math.min(...oneRatios).toFixed(1)}x, ` +
      `${Math.min(...oneRatios) > 1 ? 'met' : 'NOT met'}.`,
    '',
  ];
}
