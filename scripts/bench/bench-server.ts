/**
 * `npm run bench:server`: autocannon against `radio-mtl serve` started on 127.0.0.1 (one
 * worker unless --workers N), for
 *   - POST /v1/allocate, solver dnn, one instance (fdma-delay, N = 10)
 *   - POST /v1/allocate, solver dnn, a batch of 256 instances
 *   - POST /v1/allocate, solver exact, one instance
 *   - POST /v1/kpi/predict, one window
 *   - POST /v2/models/{name}/infer (Open Inference Protocol): the dnn batch of 256 and the KPI
 *     window again, to compare the protocol's cost with /v1 for the same work
 * then the reject time of invalid 1 MiB bodies and liveness under the heaviest solves
 * (src/bench/server-hardening.ts), then /v1/kpi/predict against an express hello-world and the
 * KPI engine alone, interleaved (scripts/bench/server-ratios.ts), and writes bench/results/server.json and server.md: requests/s, p50/p99 latency,
 * allocations/s, errors, plus the machine's load (other jobs share the CPU); `--out bench/results`
 * updates the committed ones (default scratch/bench-server/).
 *
 * Models: the first allocation and KPI models under --models (default models/). When there
 * is none, an UNTRAINED model of the same architecture (Table I routed bDNN for the 14
 * tasks; LSTM hard-sharing H = 64, window 35) is saved to a temp dir: speed does not
 * depend on the weights' values. The result records which models were used.
 *
 * Options: --models DIR, --duration S (default 10), --connections C (default 16),
 * --workers N (default 1), --max-queue-delay-us US (default 0), --out DIR (scratch/bench-server).
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { initEngine } from '../../src/dnn/engine.js';
import { modelFamily, type ModelFamily } from '../../src/dnn/manifest.js';
import { readModelJson } from '../../src/dnn/model-io.js';
import { buildManifest, DEFAULT_TRAIN_OPTIONS, generateAllocationData, paperTasks, saveAllocationModel, trainAllocation } from '../../src/dnn/allocation/index.js';
import { createKpiModel } from '../../src/dnn/kpi/registry.js';
import { KPI_MODEL_KIND, saveKpiModel, type KpiModelManifest } from '../../src/dnn/kpi/model.js';
import { writeFileAtomic } from '../../src/io/atomic-write.js';
import { hardeningMarkdown, measureHardening, type HardeningResult } from '../../src/bench/server-hardening.js';
import { VERSION } from '../../src/version.js';
import { intOpt, opt, outDir as resultsDir, readScriptOptions } from '../shared/lib.js';
import { startServe, stopServe, type ServeProcess } from '../shared/serve-process.js';
import { gains, run, type Scenario, type ScenarioResult } from './server-load.js';
import { measureServerRatios, serverRatiosMarkdown, type ServerRatios } from './server-ratios.js';

readScriptOptions({
  name: 'bench:server',
  summary: 'autocannon against radio-mtl serve on 127.0.0.1 (/v1/allocate, /v1/kpi/predict, /v2 infer), then body rejection and liveness;\nwrites server.json and server.md.',
  options: {
    models: { value: 'DIR', help: 'the models to serve (default models; untrained stand-ins when none)' },
    duration: { value: 'S', help: 'seconds per scenario (default 10)' },
    connections: { value: 'C', help: 'concurrent connections (default 16)' },
    workers: { value: 'N', help: 'server worker processes (default 1)' },
    'max-queue-delay-us': { value: 'US', help: 'the batcher\'s queue delay (default 0)' },
    out: { value: 'DIR', help: 'where to write (default scratch/bench-server; bench/results updates the committed results)' },
  },
});
const args = {
  models: opt('models', 'models'),
  duration: intOpt('duration', 10),
  connections: intOpt('connections', 16),
  workers: intOpt('workers', 1),
  maxQueueDelayUs: intOpt('max-queue-delay-us', 0, 0),
  out: resultsDir(),
};
const log = (m: string) => process.stderr.write(`[bench-server] ${m}\n`);

function findModel(dir: string, family: ModelFamily): string | undefined {
  if (!existsSync(dir)) return undefined;
  for (const e of readdirSync(dir).sort()) {
    try {
      if (modelFamily(readModelJson(join(dir, e)).json.manifest) === family) return e;
    } catch {
      // not a model
    }
  }
  return undefined;
}

/** Models dir to serve, and a description of each model used. */
async function prepareModels(): Promise<{ dir: string; alloc: string; kpi: string; cleanup: () => void }> {
  const given = resolve(args.models);
  const allocName = findModel(given, 'allocation');
  const kpiName = findModel(given, 'kpi');
  if (allocName && kpiName) return { dir: given, alloc: `${allocName} (from ${args.models})`, kpi: `${kpiName} (from ${args.models})`, cleanup: () => undefined };
  const tmp = mkdtempSync(join(tmpdir(), 'bench-server-models-'));
  await initEngine();
  let alloc = `${allocName} (from ${args.models})`;
  let kpi = `${kpiName} (from ${args.models})`;
  if (allocName) {
    // copy not needed: serve both dirs is not possible, so re-save is avoided by symlinking
    (await import('node:fs')).symlinkSync(join(given, allocName), join(tmp, allocName));
  } else {
    log('no allocation model found: saving an untrained Table I routed model for the 14 tasks');
    const data = generateAllocationData(paperTasks(), { train: 64, test: 8 }, 1);
    const opts = { ...DEFAULT_TRAIN_OPTIONS, scheme: 'routed' as const, t1: 2, t2: 2, evalEvery: 0 };
    const r = trainAllocation(data, opts);
    saveAllocationModel(join(tmp, 'allocation-untrained'), r.net, buildManifest(r, opts, { source: data.source, seed: 1 }, 'bench'));
    r.net.dispose();
    alloc = 'allocation-untrained (Table I routed bDNN, 14 tasks, untrained weights: same cost)';
  }
  if (kpiName) {
    (await import('node:fs')).symlinkSync(join(given, kpiName), join(tmp, kpiName));
  } else {
    log('no KPI model found: saving an untrained hard-sharing LSTM (H = 64, window 35)');
    const model = createKpiModel('hard-sharing', { seed: 1 });
    const scaler = { columns: ['RSRP', 'RSRQ', 'SINR'], min: [-120, -20, -10], max: [-70, -3, 30] };
    const manifest = {
      kind: KPI_MODEL_KIND,
      arch: 'hard-sharing',
      config: model.config,
      window: model.config.window,
      scalers: { bench: scaler },
      data: { files: [] },
      training: {},
      test: {},
      backend: 'bench',
      toolVersion: VERSION,
      createdAt: new Date().toISOString(),
    } as unknown as KpiModelManifest;
    saveKpiModel(join(tmp, 'kpi-untrained'), model, manifest);
    kpi = `kpi-untrained (hard-sharing LSTM H = ${model.config.hidden}, window ${model.config.window}, untrained weights: same cost)`;
  }
  return { dir: tmp, alloc, kpi, cleanup: () => rmSync(tmp, { recursive: true, force: true }) };
}

async function startServer(modelsDir: string, workers = args.workers, port = 0): Promise<{ server: ServeProcess; url: string; windowLength: number; allocationModel: string; kpiModel: string }> {
  const serveArgs = ['--models', modelsDir, '--host', '127.0.0.1', '--port', String(port), '--workers', String(workers), '--log-level', 'info', '--max-queue-delay-us', String(args.maxQueueDelayUs)];
  const server = await startServe(serveArgs, { from: 'source', workers, timeoutMs: 180_000, healthReady: true });
  const { url } = server;
  const models = (await (await fetch(`${url}/v1/models`)).json()) as { models: Array<{ name: string; kind: string; windowLength?: number }>; refused: unknown[] };
  const kpi = models.models.find((m) => m.kind === 'kpi');
  const allocation = models.models.find((m) => m.kind === 'allocation');
  log(`server ready at ${url}; models: ${JSON.stringify(models.models.map((m) => m.kind))}, refused ${models.refused.length}`);
  return { server, url, windowLength: kpi?.windowLength ?? 35, allocationModel: allocation?.name ?? 'none', kpiModel: kpi?.name ?? 'none' };
}

async function main(): Promise<void> {
  const duration = args.duration;
  const connections = args.connections;
  const models = await prepareModels();
  const load1Before = loadavg()[0];
  const { server, url, windowLength, allocationModel, kpiModel } = await startServer(models.dir);
  const window = Array.from({ length: windowLength }, (_, i) => [-95 - 0.1 * i, -11 - 0.01 * i, 12 - 0.05 * i]);
  const N = 10;
  const batchGains = Array.from({ length: 256 }, (_, i) => gains(N, i + 2));
  const scenarios: Scenario[] = [
    { name: 'allocate dnn single (fdma-delay, N=10)', path: '/v1/allocate', body: { problem: 'fdma-delay', gains: gains(N, 1), solver: 'dnn' }, items: 1 },
    { name: 'allocate dnn batch 256 (fdma-delay, N=10)', path: '/v1/allocate', body: { problem: 'fdma-delay', gains: batchGains, solver: 'dnn' }, items: 256 },
    { name: 'allocate exact single (fdma-delay, N=10)', path: '/v1/allocate', body: { problem: 'fdma-delay', gains: gains(N, 1), solver: 'exact' }, items: 1 },
    { name: `kpi predict single window (${windowLength} steps)`, path: '/v1/kpi/predict', body: { windows: [window] }, items: 1 },
    {
      name: 'v2 infer dnn batch 256 (fdma-delay, N=10)',
      path: `/v2/models/${allocationModel}/infer`,
      body: { parameters: { problem: 'fdma-delay' }, inputs: [{ name: 'gains', shape: [256, N], datatype: 'FP64', data: batchGains.flat() }] },
      items: 256,
    },
    {
      name: `v2 infer kpi single window (${windowLength} steps)`,
      path: `/v2/models/${kpiModel}/infer`,
      body: { inputs: [{ name: 'windows', shape: [1, windowLength, 3], datatype: 'FP32', data: window.flat() }] },
      items: 1,
    },
    { name: `kpi predict batch 256 windows (${windowLength} steps)`, path: '/v1/kpi/predict', body: { windows: Array.from({ length: 256 }, () => window) }, items: 256 },
  ];
  const results: ScenarioResult[] = [];
  let hardening: HardeningResult;
  let ratios: ServerRatios;
  try {
    for (const s of scenarios) {
      const c = s.items > 1 ? Math.min(connections, 8) : connections;
      results.push(await run(url, s, c, duration));
    }
    hardening = await measureHardening(url, { windowLength });
    const kpiModelDir = join(models.dir, kpiModel);
    ratios = await measureServerRatios({ url, kpiModelDir, window, bodyLimit: 1024 * 1024, connections, duration, rounds: 2 });
    log(`reject of 1 MiB bodies: ${hardening.reject.map((r) => `${r.minMs.toFixed(1)} ms`).join(', ')}; liveness p99 under heavy solves ${hardening.liveness.p99Ms.toFixed(1)} ms`);
  } finally {
    await stopServe(server);
  }
  // The batch scenario again with one worker per core (node:cluster). /metrics answers
  // for one worker only, so no CPU-normalised figure here.
  const cores = cpus().length;
  let allWorkers: ScenarioResult | undefined;
  if (cores > 1 && args.workers === 1) {
    const free = await new Promise<number>((resolvePort) => {
      const srv = createNetServer().listen(0, '127.0.0.1', () => {
        const p = (srv.address() as AddressInfo).port;
        srv.close(() => resolvePort(p));
      });
    });
    const multi = await startServer(models.dir, cores, free);
    try {
      const s = scenarios[1];
      allWorkers = await run(multi.url, { ...s, name: `${s.name}, ${cores} workers` }, Math.min(connections, 8), duration, false);
      results.push(allWorkers);
    } finally {
      await stopServe(multi.server);
    }
  }
  models.cleanup();
  const load1After = loadavg()[0];
  const [single, batch, , kpiV1, batchV2, kpiV2, kpiBatch] = results;
  const doc = {
    tool: 'radio-mtl bench:server',
    version: VERSION,
    date: new Date().toISOString(),
    node: process.version,
    machine: { cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown', loadavg1Before: load1Before, loadavg1After: load1After },
    underLoad: load1Before > 0.5 * cpus().length,
    note:
      'autocannon runs on the same machine as the server (it competes for the CPU); the server runs --workers ' +
      `${args.workers}. loadavg1 is the 1-minute load average before and after the run: values near or above the core count mean other jobs were using the CPU.`,
    server: { workers: args.workers, maxQueueDelayUs: args.maxQueueDelayUs, maxBatchSize: 256, backend: process.env.RADIO_MTL_BACKEND ?? 'auto' },
    models: { allocation: models.alloc, kpi: models.kpi },
    scenarios: results,
    hardening,
    ratios,
    goals: {
      rejectUnder50Ms: { goal: 'every invalid body up to the 1 MiB limit refused in < 50 ms', worstMinMs: Math.max(...hardening.reject.map((r) => r.minMs)), met: hardening.reject.every((r) => r.minMs < 50) },
      livenessUnderHeavyLoad: { goal: '/v2/health/live p99 < 50 ms while the heaviest allowed solves run', p99Ms: hardening.liveness.p99Ms, met: hardening.liveness.p99Ms < 50 },
      livenessUnderHeavyKpi: {
        goal: '/v2/health/live p99 < 50 ms while clients send 1,024-window predictions or 100,000-row calibrations',
        p99Ms: Math.max(...(hardening.kpiLiveness ?? []).map((l) => l.p99Ms)),
        met: (hardening.kpiLiveness ?? []).every((l) => l.p99Ms < 50),
      },
      dnnSingle: { goal: '>= 5000 req/s with p99 < 10 ms on one worker', requestsPerSec: single.requestsPerSec, p99Ms: single.latencyMs.p99, met: single.requestsPerSec >= 5000 && single.latencyMs.p99 < 10 },
      kpiSingle: { goal: '>= 5000 req/s with p99 < 10 ms on one worker', requestsPerSec: kpiV1.requestsPerSec, p99Ms: kpiV1.latencyMs.p99, met: kpiV1.requestsPerSec >= 5000 && kpiV1.latencyMs.p99 < 10 },
      kpiBatch256: { goal: '>= 50000 windows/s with 256 windows per request on one worker', windowsPerSec: kpiBatch.itemsPerSec, met: kpiBatch.itemsPerSec >= 50_000 },
      dnnBatch256: {
        goal: '>= 200000 allocations/s with batches of 256',
        allocationsPerSec: batch.itemsPerSec,
        allocationsPerSecAllWorkers: allWorkers?.itemsPerSec ?? null,
        met: Math.max(batch.itemsPerSec, allWorkers?.itemsPerSec ?? 0) >= 200_000,
      },
      inferenceProtocol: {
        goal: '/v2/models/{name}/infer throughput >= 80% of /v1 for the same work',
        batchRatio: batchV2.requestsPerSec / batch.requestsPerSec,
        kpiRatio: kpiV2.requestsPerSec / kpiV1.requestsPerSec,
        met: batchV2.requestsPerSec >= 0.8 * batch.requestsPerSec && kpiV2.requestsPerSec >= 0.8 * kpiV1.requestsPerSec,
      },
    },
  };
  const outDir = resolve(args.out);
  writeFileAtomic(join(outDir, 'server.json'), `${JSON.stringify(doc, null, 2)}\n`);
  const md = [
    '# HTTP server benchmark (`npm run bench:server`)',
    '',
    `${doc.date}, radio-mtl ${VERSION}, Node ${process.version}, ${doc.machine.cpus} x ${doc.machine.model}.`,
    `Server: ${doc.server.workers} worker(s), max_queue_delay_us ${doc.server.maxQueueDelayUs}, max_batch_size 256. Load generator: autocannon on the same machine.`,
    `1-minute load average before/after: ${load1Before.toFixed(2)} / ${load1After.toFixed(2)}${doc.underLoad ? ' — **measured under load: other jobs were using the CPU, numbers are lower bounds**' : ''}.`,
    '',
    `Models: allocation ${models.alloc}; KPI ${models.kpi}.`,
    '',
    '| scenario | connections | req/s | allocations or windows/s | p50 ms | p90 ms | p99 ms | non-2xx | server CPU s | req per server CPU-s | items per server CPU-s |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...results.map(
      (r) =>
        `| ${r.name} | ${r.connections} | ${r.requestsPerSec.toFixed(0)} | ${r.itemsPerSec.toFixed(0)} | ${r.latencyMs.p50} | ${r.latencyMs.p90} | ${r.latencyMs.p99} | ${r.non2xx + r.errors} | ` +
        (Number.isNaN(r.serverCpuSeconds) ? '– | – | – |' : `${r.serverCpuSeconds.toFixed(2)} | ${r.requestsPerServerCpuSecond.toFixed(0)} | ${r.itemsPerServerCpuSecond.toFixed(0)} |`),
    ),
    '',
    '"per server CPU-s" divides the requests served by the CPU time the server process used meanwhile: roughly the rate one worker would sustain with a core to itself (contention for caches still inflates it a little). The last line runs the batch scenario on one worker per core (node:cluster; no CPU figure, /metrics answers for one worker).',
    '',
    '| goal | measured | met |',
    '|---|---|---|',
    `| dnn single: ${doc.goals.dnnSingle.goal} | ${single.requestsPerSec.toFixed(0)} req/s (${single.requestsPerServerCpuSecond.toFixed(0)} per server CPU-second), p99 ${single.latencyMs.p99} ms | ${doc.goals.dnnSingle.met ? 'yes' : 'no'} |`,
    `| ${doc.goals.rejectUnder50Ms.goal} | worst ${doc.goals.rejectUnder50Ms.worstMinMs.toFixed(1)} ms (min of 10) | ${doc.goals.rejectUnder50Ms.met ? 'yes' : 'no'} |`,
    `| ${doc.goals.livenessUnderHeavyLoad.goal} | p99 ${doc.goals.livenessUnderHeavyLoad.p99Ms.toFixed(1)} ms | ${doc.goals.livenessUnderHeavyLoad.met ? 'yes' : 'no'} |`,
    `| dnn batch: ${doc.goals.dnnBatch256.goal} | ${batch.itemsPerSec.toFixed(0)} allocations/s on 1 worker (${batch.itemsPerServerCpuSecond.toFixed(0)} per server CPU-second)` +
      `${allWorkers ? `; ${allWorkers.itemsPerSec.toFixed(0)} on ${cpus().length} workers` : ''} | ${doc.goals.dnnBatch256.met ? 'yes' : 'no'} |`,
    `| ${doc.goals.inferenceProtocol.goal} | batch 256: ${(100 * doc.goals.inferenceProtocol.batchRatio).toFixed(0)}%; KPI window: ${(100 * doc.goals.inferenceProtocol.kpiRatio).toFixed(0)}% | ${doc.goals.inferenceProtocol.met ? 'yes' : 'no'} |`,
    `| kpi single window: ${doc.goals.kpiSingle.goal} | ${kpiV1.requestsPerSec.toFixed(0)} req/s, p99 ${kpiV1.latencyMs.p99} ms | ${doc.goals.kpiSingle.met ? 'yes' : 'no'} |`,
    `| kpi batch: ${doc.goals.kpiBatch256.goal} | ${kpiBatch.itemsPerSec.toFixed(0)} windows/s | ${doc.goals.kpiBatch256.met ? 'yes' : 'no'} |`,
    '',
    ...serverRatiosMarkdown(ratios),
    ...hardeningMarkdown(hardening),
  ].join('\n');
  writeFileAtomic(join(outDir, 'server.md'), md);
  process.stdout.write(md);
  log(`wrote ${join(outDir, 'server.json')} and server.md`);
}

main().catch((err: unknown) => {
  process.stderr.write(`[bench-server] failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
