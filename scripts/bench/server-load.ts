/** What bench:server measures with autocannon: one scenario's requests/s, latency and server CPU. */
import autocannon from 'autocannon';

const log = (m: string) => process.stderr.write(`[bench-server] ${m}\n`);

export interface Scenario {
  name: string;
  path: string;
  body: unknown;
  /** Allocations (or windows) per request. */
  items: number;
}

export interface ScenarioResult {
  name: string;
  connections: number;
  durationS: number;
  requests: number;
  requestsPerSec: number;
  itemsPerSec: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  /** Server process CPU seconds (user + system) spent during the measured run. */
  serverCpuSeconds: number;
  /** Requests per server CPU-second: the rate one fully available core would sustain. */
  requestsPerServerCpuSecond: number;
  itemsPerServerCpuSecond: number;
}

/** The server's process_cpu_seconds_total (prom-client default metric). */
async function serverCpuSeconds(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const m = /^radio_mtl_process_cpu_seconds_total(?:\{[^}]*\})? ([0-9.e+-]+)$/m.exec(text);
  if (!m) throw new Error('process_cpu_seconds_total missing from /metrics');
  return Number(m[1]);
}

export async function run(url: string, s: Scenario, connections: number, duration: number, measureCpu = true): Promise<ScenarioResult> {
  const body = JSON.stringify(s.body);
  const check = await fetch(`${url}${s.path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  if (check.status !== 200) throw new Error(`${s.name}: ${check.status} ${await check.text()}`);
  // Warm-up: 2 s, not recorded.
  await autocannon({ url: `${url}${s.path}`, method: 'POST', headers: { 'content-type': 'application/json' }, body, connections, duration: 2 });
  const cpu0 = measureCpu ? await serverCpuSeconds(url) : NaN;
  const r = await autocannon({ url: `${url}${s.path}`, method: 'POST', headers: { 'content-type': 'application/json' }, body, connections, duration });
  const cpu = measureCpu ? (await serverCpuSeconds(url)) - cpu0 : NaN;
  const res: ScenarioResult = {
    name: s.name,
    connections,
    durationS: duration,
    requests: r.requests.total,
    requestsPerSec: r.requests.average,
    itemsPerSec: r.requests.average * s.items,
    latencyMs: { p50: r.latency.p50, p90: r.latency.p90, p99: r.latency.p99, max: r.latency.max, mean: r.latency.average },
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    serverCpuSeconds: cpu,
    requestsPerServerCpuSecond: r.requests.total / cpu,
    itemsPerServerCpuSecond: (r.requests.total * s.items) / cpu,
  };
  log(
    `${s.name}: ${res.requestsPerSec.toFixed(0)} req/s, p50 ${res.latencyMs.p50} ms, p99 ${res.latencyMs.p99} ms, ${res.itemsPerSec.toFixed(0)} items/s, ` +
      `non2xx ${res.non2xx}` + (measureCpu ? `; server CPU ${cpu.toFixed(2)} s -> ${res.requestsPerServerCpuSecond.toFixed(0)} req per CPU-second` : ''),
  );
  return res;
}

export function gains(n: number, seed: number): number[] {
  // Deterministic Exp(1)-like gains.
  return Array.from({ length: n }, (_, i) => -Math.log((((seed * 9301 + i * 49297) % 233280) + 0.5) / 233280));
}
