/**
 * The hardening half of `npm run bench:server`, against a running server: how long the
 * largest invalid bodies take to be refused, and how fast liveness answers while the
 * heaviest allowed solves run. Wall-clock times from a client on the same machine.
 */

export interface RejectTiming {
  body: string;
  bytes: number;
  status: number;
  minMs: number;
  medianMs: number;
}

export interface LivenessUnderLoad {
  heavy: string[];
  probes: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Statuses of the heavy requests (200, or 503 timeout when over their budget). */
  heavyStatuses: number[];
}

export interface HardeningResult {
  reject: RejectTiming[];
  liveness: LivenessUnderLoad;
  /** Liveness under the heaviest KPI requests (when a KPI model is served). */
  kpiLiveness?: LivenessUnderLoad[];
}

const MiB = 1024 * 1024;
const fill = (n: number, v: string) => Array(n).fill(v).join(',');

/** An Open Inference Protocol request for the shipped allocation model: one instance of `n` gains. */
const v2Gains = (n: number, v: string) => `{"parameters":{"problem":"fdma-delay"},"inputs":[{"name":"gains","shape":[1,${n}],"datatype":"FP64","data":[${fill(n, v)}]}]}`;

/** Invalid bodies up to the default 1 MiB limit that once took seconds to validate. */
function invalidBodies(): Array<{ name: string; path: string; body: string }> {
  return [
    { name: 'gains: 524,000 numbers (N above the limit)', path: '/v1/allocate', body: `{"problem":"fdma-delay","gains":[${fill(Math.floor((MiB - 64) / 2), '1')}]}` },
    { name: 'gains: 262,000 strings', path: '/v1/allocate', body: `{"problem":"fdma-delay","gains":[${fill(Math.floor((MiB - 64) / 4), '"a"')}]}` },
    { name: 'windows: 100,000 one-step windows', path: '/v1/kpi/predict', body: `{"windows":[${fill(100_000, '[[1,2,3]]')}]}` },
    { name: '/v2 gains: 524,000 numbers (N above the limit)', path: '/v2/models/allocation-routed/infer', body: v2Gains(Math.floor((MiB - 200) / 2), '1') },
    { name: '/v2 gains: 262,000 strings', path: '/v2/models/allocation-routed/infer', body: v2Gains(Math.floor((MiB - 200) / 4), '"a"') },
  ];
}

const percentile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * (sorted.length - 1)))];

async function post(url: string, body: string): Promise<number> {
  const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  await r.arrayBuffer();
  return r.status;
}

async function rejectTimings(url: string, repeats: number): Promise<RejectTiming[]> {
  const out: RejectTiming[] = [];
  for (const b of invalidBodies()) {
    const times: number[] = [];
    let status = 0;
    for (let i = 0; i < repeats; i++) {
      const started = performance.now();
      status = await post(`${url}${b.path}`, b.body);
      times.push(performance.now() - started);
    }
    times.sort((x, y) => x - y);
    out.push({ body: b.name, bytes: b.body.length, status, minMs: times[0], medianMs: percentile(times, 0.5) });
  }
  return out;
}

/** IPM at its limit N = 256: about 60 ms per instance on one core. */
export const ipmBatch = (rows: number) => Array.from({ length: rows }, (_, i) => Array.from({ length: 256 }, (_, j) => 0.05 + ((i * 31 + j * 17) % 97) / 20));

/** GET /v2/health/live every 10 ms for `seconds`: latency percentiles, ms. */
export async function probeLiveness(url: string, seconds: number): Promise<{ probes: number; p50Ms: number; p99Ms: number; maxMs: number }> {
  const latencies: number[] = [];
  const until = Date.now() + seconds * 1000;
  while (Date.now() < until) {
    const started = performance.now();
    const r = await fetch(`${url}/v2/health/live`);
    await r.arrayBuffer();
    latencies.push(performance.now() - started);
    await new Promise((r) => setTimeout(r, 10));
  }
  latencies.sort((a, b) => a - b);
  return { probes: latencies.length, p50Ms: percentile(latencies, 0.5), p99Ms: percentile(latencies, 0.99), maxMs: latencies[latencies.length - 1] };
}

async function livenessUnderLoad(url: string, seconds: number): Promise<LivenessUnderLoad> {
  const heavyBodies = [
    { name: 'sum-capacity exact, N = 64 (lambda* Monte Carlo for a new N)', body: { problem: 'sum-capacity', solver: 'exact', gains: [Array.from({ length: 64 }, (_, j) => 0.1 + j / 32)] } },
    { name: 'fdma-delay ipm, 60 instances at N = 256', body: { problem: 'fdma-delay', solver: 'ipm', gains: ipmBatch(60) } },
    { name: 'fdma-delay ipm, 60 instances at N = 256 (second)', body: { problem: 'fdma-delay', solver: 'ipm', gains: ipmBatch(60) } },
  ];
  const heavy = heavyBodies.map((h) => post(`${url}/v1/allocate`, JSON.stringify(h.body)));
  await new Promise((r) => setTimeout(r, 200));
  const live = await probeLiveness(url, seconds);
  return { heavy: heavyBodies.map((h) => h.name), ...live, heavyStatuses: await Promise.all(heavy) };
}

/** Posts `body` to `path` back to back until `until` (ms since the epoch); the statuses seen. */
async function postUntil(url: string, body: string, until: number): Promise<number[]> {
  const statuses: number[] = [];
  while (Date.now() < until) statuses.push(await post(url, body));
  return statuses;
}

/**
 * Liveness while clients send the heaviest allowed KPI requests back to back: one sending
 * 1,024-window predictions, then six sending 100,000-row calibrations.
 */
export async function kpiLivenessUnderLoad(url: string, windowLength: number, seconds: number): Promise<LivenessUnderLoad[]> {
  const window = Array.from({ length: windowLength }, (_, i) => [-95 - 0.1 * i, -11 - 0.01 * i, 12 - 0.05 * i]);
  const rows = Array.from({ length: 100_000 }, (_, i) => [-120 + (i % 50), -15 + (i % 7) / 2, 5 + (i % 30)]);
  const loads = [
    { name: `one client: POST /v1/kpi/predict, 1,024 windows of ${windowLength} steps`, clients: 1, path: '/v1/kpi/predict', body: JSON.stringify({ windows: Array.from({ length: 1024 }, () => window) }) },
    { name: 'six clients: POST /v1/kpi/calibrate, 100,000 rows', clients: 6, path: '/v1/kpi/calibrate', body: JSON.stringify({ rows }) },
  ];
  const out: LivenessUnderLoad[] = [];
  for (const load of loads) {
    const until = Date.now() + seconds * 1000 + 400;
    const clients = Array.from({ length: load.clients }, () => postUntil(`${url}${load.path}`, load.body, until));
    await new Promise((r) => setTimeout(r, 200));
    const live = await probeLiveness(url, seconds);
    const statuses = (await Promise.all(clients)).flat();
    out.push({ heavy: [load.name], ...live, heavyStatuses: [...new Set(statuses)].sort() });
  }
  return out;
}

export async function measureHardening(url: string, kpi?: { windowLength: number }): Promise<HardeningResult> {
  return {
    reject: await rejectTimings(url, 10),
    liveness: await livenessUnderLoad(url, 4),
    ...(kpi ? { kpiLiveness: await kpiLivenessUnderLoad(url, kpi.windowLength, 4) } : {}),
  };
}

/** The report's section. */
export function hardeningMarkdown(h: HardeningResult): string[] {
  return [
    '## Hostile and heavy requests',
    '',
    'Invalid bodies at the 1 MiB limit, each sent 10 times on one connection (goal: refused in < 50 ms):',
    '',
    '| body | bytes | status | min ms | median ms |',
    '|---|---:|---:|---:|---:|',
    ...h.reject.map((r) => `| ${r.body} | ${r.bytes} | ${r.status} | ${r.minMs.toFixed(1)} | ${r.medianMs.toFixed(1)} |`),
    '',
    `GET /v2/health/live every 10 ms for 4 s while these run (goal: p99 < 50 ms): ${h.liveness.heavy.join('; ')}.`,
    `${h.liveness.probes} probes: p50 ${h.liveness.p50Ms.toFixed(1)} ms, p99 ${h.liveness.p99Ms.toFixed(1)} ms, max ${h.liveness.maxMs.toFixed(1)} ms; heavy requests answered ${h.liveness.heavyStatuses.join(', ')}.`,
    '',
    ...(h.kpiLiveness ?? []).flatMap((l) => [
      `GET /v2/health/live every 10 ms for 4 s while ${l.heavy.join('; ')} back to back (goal: p99 < 50 ms): ${l.probes} probes: p50 ${l.p50Ms.toFixed(1)} ms, p99 ${l.p99Ms.toFixed(1)} ms, max ${l.maxMs.toFixed(1)} ms; answered ${l.heavyStatuses.join(', ')}.`,
      '',
    ]),
  ];
}
