/**
 * `npm run bench:detect`: one long series through POST /v1/kpi/detect's implementation against
 * the served KPI model's own predict path, interleaved in the same run: windows per second of
 * each (wall time, the best of --rounds), their ratio (issue 21's goal: detection at >= 50% of
 * the engine's windows/s), and the process's peak RSS during detection (sampled every 20 ms)
 * against before it. The series is synthetic (a drifting cell with dips; no data file needed).
 * Speed numbers mean something only on an idle machine: the report records the load average.
 * Run with `node --expose-gc` (the npm script does) so that the RSS before detection is measured
 * after a collection. --help lists the options.
 */
import { join, resolve } from 'node:path';
import { loadavg } from 'node:os';
import { writeFileAtomic } from '../../src/io/atomic-write.js';
import { createContext, loadModels } from '../../src/server/app.js';
import { defaultLoaders } from '../../src/server/loaders.js';
import { createLogger } from '../../src/server/logger.js';
import { detectKpi } from '../../src/server/routes/kpi-detect.js';
import { argv, intOpt, opt, outDir, readScriptOptions, ROOT } from '../shared/lib.js';

readScriptOptions({
  name: 'bench:detect',
  summary: "One long synthetic series through POST /v1/kpi/detect's implementation against the served KPI model's own predict path, interleaved: windows/s of each, their ratio, peak RSS; writes detect.md and .json.",
  options: {
    models: { value: 'DIR', help: 'the models to serve (default models)' },
    rows: { value: 'N', help: 'rows of the series (default 100000)' },
    rounds: { value: 'R', help: 'interleaved rounds, the best of each kept (default 3)' },
    out: { value: 'DIR', help: 'where to write (default scratch/bench-detect; bench/results publishes)' },
  },
});
const args = {
  models: resolve(opt('models', join(ROOT, 'models'))),
  rows: intOpt('rows', 100_000, 100),
  rounds: intOpt('rounds', 3),
  out: outDir(),
};
const log = (m: string) => process.stderr.write(`[bench-detect] ${m}\n`);
const ENGINE_BATCH = 640;

const ctx = createContext({ config: { precomputeLambdas: false }, loaders: await defaultLoaders(), logger: createLogger('silent') });
await loadModels(ctx, args.models);
const model = ctx.registry.kpiModels()[0];
if (!model) throw new Error(`no KPI model under ${args.models}`);
const rows = Array.from({ length: args.rows }, (_, i) => {
  const dip = Math.sin(i / 400) > 0.8 ? 1 : 0;
  return [-95 + 5 * Math.sin(i / 97), -10.5 - 6 * dip + 0.3 * Math.sin(i / 7), 22 - 20 * dip + 2 * Math.sin(i / 11)];
});
const w = model.windowLength;
const windows = rows.length - w + 1;

/** The model's own predict path over every window of the series, ENGINE_BATCH at a time. */
async function enginePass(): Promise<number> {
  const started = performance.now();
  for (let a = w - 1; a < rows.length; a += ENGINE_BATCH) {
    const batch: number[][][] = [];
    for (let i = a; i < Math.min(rows.length, a + ENGINE_BATCH); i++) batch.push(rows.slice(i - w + 1, i + 1));
    await model.predict(batch);
  }
  return (performance.now() - started) / 1000;
}

/** Collects garbage when node runs with --expose-gc (the npm script does), so RSS before a pass is the live set. */
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);

async function detectPass(): Promise<{ seconds: number; rssBeforeMb: number; peakRssMb: number; episodes: number }> {
  gc();
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const started = performance.now();
  const out = await detectKpi(ctx, { rows });
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  return { seconds, rssBeforeMb: before / 2 ** 20, peakRssMb: Math.max(peak, process.memoryUsage().rss) / 2 ** 20, episodes: out.episodes.length };
}

const engine: number[] = [];
const detect: Array<Awaited<ReturnType<typeof detectPass>>> = [];
for (let r = 1; r <= args.rounds; r++) {
  engine.push(await enginePass());
  detect.push(await detectPass());
  log(`round ${r}: engine ${engine[r - 1].toFixed(2)} s, detect ${detect[r - 1].seconds.toFixed(2)} s, peak RSS ${detect[r - 1].peakRssMb.toFixed(0)} MB`);
}
const best = { engine: Math.min(...engine), detect: Math.min(...detect.map((d) => d.seconds)) };
const doc = {
  command: `npm run bench:detect -- ${argv.join(' ')}`.trim(),
  model: `${model.name}@${model.version}`,
  engine: model.engine ?? 'unknown',
  rows: args.rows,
  windows,
  rounds: args.rounds,
  engineWindowsPerS: windows / best.engine,
  detectWindowsPerS: windows / best.detect,
  ratio: best.engine / best.detect,
  rssBeforeMb: Math.min(...detect.map((d) => d.rssBeforeMb)),
  peakRssMb: Math.max(...detect.map((d) => d.peakRssMb)),
  gcExposed: (globalThis as { gc?: unknown }).gc !== undefined,
  episodes: detect[0].episodes,
  loadAverage: loadavg(),
};
const md = `# One long series through /v1/kpi/detect

Made by \`${doc.command}\`: ${doc.rows} rows (${doc.windows} windows) of a synthetic cell, model ${doc.model} on ${doc.engine}, best of ${doc.rounds} interleaved rounds, wall time.

| path | windows/s |
|---|---:|
| the model's own predict path, batches of ${ENGINE_BATCH} | ${doc.engineWindowsPerS.toFixed(0)} |
| \`/v1/kpi/detect\` implementation (validation, gaps, batches of 1,024, episodes) | ${doc.detectWindowsPerS.toFixed(0)} |
| ratio (goal >= 0.5) | ${doc.ratio.toFixed(2)} |

Process RSS: ${doc.rssBeforeMb.toFixed(0)} MB before a detection pass${doc.gcExposed ? ' (after a garbage collection)' : ''}, ${doc.peakRssMb.toFixed(0)} MB at its peak during one. Load average ${doc.loadAverage.map((l) => l.toFixed(1)).join(' ')}.
`;
writeFileAtomic(join(args.out, 'detect.md'), md);
writeFileAtomic(join(args.out, 'detect.json'), `${JSON.stringify(doc, null, 2)}\n`);
process.stdout.write(md);
