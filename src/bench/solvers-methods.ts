/**
 * Which method allocates power fastest, per problem and N: the exact solver, the IPM
 * (fdma-delay only; P4 has no IPM here) and the routed DNN on the serving engine, one
 * instance at a time (batch 1) and in bulk (batch 4096), in microseconds per instance.
 * Part of the solver benchmark (src/bench/solvers.ts).
 */
import { fileURLToPath } from 'node:url';
import { solveSumCapacitySample } from '../solvers/sum-capacity-exact.js';
import { optimalLambda } from '../solvers/solve-batch.js';
import { FDMA_DELAY_DEFAULTS, meanGainLinear, SUM_CAPACITY_DEFAULTS, type Problem } from '../solvers/params.js';
import { rayleighGains } from '../channels/rayleigh.js';
import { seededUniform } from '../random.js';
import { loadAllocationNetwork } from '../dnn/allocation/model.js';
import { createAllocationPredictor, type AllocationPredictor } from '../dnn/allocation/predict.js';
import { initEngine } from '../dnn/engine.js';
import { median } from '../median.js';

/** The routed model shipped with the package (found from this file, in src/ or dist/). */
export const SHIPPED_ALLOCATION_MODEL = fileURLToPath(new URL('../../models/allocation-routed', import.meta.url));
export const DNN_BULK_BATCH = 4096;

export interface MethodRow {
  problem: Problem;
  n: number;
  /** Median microseconds per instance; null where the method does not apply. */
  exactUs: number;
  ipmUs: number | null;
  dnnBatch1Us: number | null;
  dnnBatch4096Us: number | null;
}

export interface DnnInfo {
  engine: string | null;
  model: string;
  /** Why the DNN columns are empty, when they are. */
  reason: string | null;
}

const nowUs = () => Number(process.hrtime.bigint()) / 1e3;

/** Median per-call wall time (us) of `fn` over `calls` calls, after `warm` unmeasured ones. */
function medianCallUs(calls: number, warm: number, fn: (i: number) => void): number {
  for (let i = 0; i < warm; i++) fn(i);
  const t = new Array<number>(calls);
  for (let i = 0; i < calls; i++) {
    const t0 = nowUs();
    fn(i);
    t[i] = nowUs() - t0;
  }
  return median(t);
}

/** medianCallUs for the serving engine, which answers with promises. */
async function medianCallUsAsync(calls: number, warm: number, fn: (i: number) => Promise<unknown>): Promise<number> {
  for (let i = 0; i < warm; i++) await fn(i);
  const t = new Array<number>(calls);
  for (let i = 0; i < calls; i++) {
    const t0 = nowUs();
    await fn(i);
    t[i] = nowUs() - t0;
  }
  return median(t);
}

function gainsFor(problem: Problem, count: number, n: number): Float64Array {
  const mean = problem === 'fdma-delay' ? meanGainLinear(FDMA_DELAY_DEFAULTS.meanGainDb) : 1;
  return rayleighGains(seededUniform(`bench-solvers:methods:${problem}:${n}`), count, n, mean);
}

/** Exact P4 solver per instance at lambda* (found once, outside the timing). */
export function sumCapacityExactUs(n: number, scale: number): number {
  const lambda = optimalLambda(SUM_CAPACITY_DEFAULTS, n);
  const count = Math.max(100, Math.round(50000 * scale));
  const gains = gainsFor('sum-capacity', count, n);
  const out = new Float64Array(n);
  return medianCallUs(count, Math.min(count, 2000), (i) => solveSumCapacitySample(gains.subarray(i * n, (i + 1) * n), lambda, SUM_CAPACITY_DEFAULTS.maxPowerW, out));
}

/** DNN per instance at batch 1 and in bulk, or nulls when the model does not serve (problem, n). */
export async function dnnUs(serving: AllocationPredictor | null, problem: Problem, n: number, scale: number): Promise<Pick<MethodRow, 'dnnBatch1Us' | 'dnnBatch4096Us'>> {
  if (!serving?.tasks.some((t) => t.problem === problem && t.n === n)) return { dnnBatch1Us: null, dnnBatch4096Us: null };
  const singles = Math.max(20, Math.round(1000 * scale));
  const one = gainsFor(problem, singles, n);
  const dnnBatch1Us = await medianCallUsAsync(singles, 30, (i) => serving.predictRows(problem, n, one.subarray(i * n, (i + 1) * n)));
  const bulk = gainsFor(problem, DNN_BULK_BATCH, n);
  const bulkCalls = Math.max(3, Math.round(10 * scale));
  const dnnBatch4096Us = (await medianCallUsAsync(bulkCalls, 1, () => serving.predictRows(problem, n, bulk))) / DNN_BULK_BATCH;
  return { dnnBatch1Us, dnnBatch4096Us };
}

/**
 * Loads the model on the serving engine (ONNX Runtime with one intra-op thread when it
 * loads, else tfjs), or explains why the DNN columns stay empty.
 */
export async function loadServing(dir: string): Promise<{ serving: AllocationPredictor | null; info: DnnInfo }> {
  try {
    const backend = await initEngine();
    const { net } = loadAllocationNetwork(dir);
    let fallback = '';
    const serving = await createAllocationPredictor(net, { intraOpThreads: 1, onFallback: (why) => (fallback = ` (${why})`) });
    const engine = serving.engine === 'tfjs' ? `tfjs-${backend}${fallback}` : serving.engine;
    return { serving, info: { engine, model: dir, reason: null } };
  } catch (err) {
    return { serving: null, info: { engine: null, model: dir, reason: (err as Error).message } };
  }
}

type Method = 'exact' | 'IPM' | 'DNN';

/** The fastest method one instance at a time and in bulk (exact and IPM solve one at a time either way). */
export function fastest(row: MethodRow): { single: Method; bulk: Method } {
  const pick = (cands: [Method, number | null][]) => cands.filter((c): c is [Method, number] => c[1] !== null).sort((a, b) => a[1] - b[1])[0][0];
  const solvers: [Method, number | null][] = [
    ['exact', row.exactUs],
    ['IPM', row.ipmUs],
  ];
  return { single: pick([...solvers, ['DNN', row.dnnBatch1Us]]), bulk: pick([...solvers, ['DNN', row.dnnBatch4096Us]]) };
}

const us = (x: number | null) => (x === null ? '-' : x < 10 ? x.toFixed(2) : x.toFixed(1));

export function methodsMarkdown(rows: MethodRow[], dnn: DnnInfo): string[] {
  return [
    '## Fastest method per problem, N and batch size',
    '',
    `Microseconds per instance (medians). DNN: the routed model ${dnn.engine ? `on the serving engine (${dnn.engine})` : `not measured: ${dnn.reason}`}, ` +
      `batch 1 = one call per instance, batch ${DNN_BULK_BATCH} = one call's time / ${DNN_BULK_BATCH}; it serves N = 5-20 only. ` +
      'sum-capacity: the exact solver at the Monte Carlo lambda* (computed once, untimed); there is no IPM for it.',
    '',
    `| problem | N | exact | IPM | DNN batch 1 | DNN batch ${DNN_BULK_BATCH} | fastest, one at a time | fastest, in bulk |`,
    '|---|---:|---:|---:|---:|---:|---|---|',
    ...rows.map((r) => {
      const f = fastest(r);
      return `| ${r.problem} | ${r.n} | ${us(r.exactUs)} | ${us(r.ipmUs)} | ${us(r.dnnBatch1Us)} | ${us(r.dnnBatch4096Us)} | ${f.single} | ${f.bulk} |`;
    }),
    '',
    fastestSummary(rows),
    '',
  ];
}

/** One generated sentence per problem: which method wins and by how much. */
export function fastestSummary(rows: MethodRow[]): string {
  const parts: string[] = [];
  for (const problem of ['fdma-delay', 'sum-capacity'] as const) {
    const rs = rows.filter((r) => r.problem === problem);
    if (!rs.length) continue;
    // "exact" when one method wins everywhere, else "DNN (N = 5, 8), exact (N = 20)".
    const winners = (pick: (r: MethodRow) => Method) => {
      const byMethod = new Map<Method, number[]>();
      for (const r of rs) byMethod.set(pick(r), [...(byMethod.get(pick(r)) ?? []), r.n]);
      return byMethod.size === 1 ? [...byMethod.keys()][0] : [...byMethod].map(([m, ns]) => `${m} (N = ${ns.join(', ')})`).join(', ');
    };
    const single = winners((r) => fastest(r).single);
    const bulk = winners((r) => fastest(r).bulk);
    const dnnRows = rs.filter((r) => r.dnnBatch4096Us !== null && r.dnnBatch1Us !== null);
    const range = (xs: number[]) => `${us(Math.min(...xs))}-${us(Math.max(...xs))} us`;
    const dnn = dnnRows.length
      ? ` Per instance at N = ${dnnRows[0].n}-${dnnRows[dnnRows.length - 1].n}: exact ${range(dnnRows.map((r) => r.exactUs))}, DNN ${range(dnnRows.map((r) => r.dnnBatch1Us!))} at batch 1 and ${range(dnnRows.map((r) => r.dnnBatch4096Us!))} at batch ${DNN_BULK_BATCH}.`
      : '';
    parts.push(`${problem}: fastest one instance at a time: ${single}; in bulk: ${bulk}.${dnn}`);
  }
  return parts.join(' ');
}
