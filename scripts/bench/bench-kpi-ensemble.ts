/**
 * `npm run bench:kpi -- --ensemble DIR`: the serving engine's speed for a saved ensemble
 * (src/dnn/kpi/ensemble.ts) beside each of its members, in interleaved blocks (ensemble,
 * member 1, member 2, ...; src/bench/interleave.ts), one thread, the minimum of each: windows/s
 * at batch 640 and latency at batch 1. Writes OUT/speed-ensemble.{md,json}; the members' own
 * rows let the ensemble's cost be read as a ratio measured in the same run.
 */
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { interleave, loadWarning, timeBlockAsync, type BestOf, type Contender } from '../../src/bench/interleave.js';
import { KPI_INFER_BATCH } from '../../src/bench/kpi-speed.js';
import { machineInfo } from '../../src/bench/machine.js';
import { initEngine } from '../../src/dnn/engine.js';
import { countParams, disposeKpiModel, type KpiModel } from '../../src/dnn/kpi/base.js';
import { KpiEnsemble } from '../../src/dnn/kpi/ensemble.js';
import { loadKpiModel } from '../../src/dnn/kpi/model.js';
import { createKpiPredictor } from '../../src/dnn/kpi/predict.js';
import { writeFileAtomic } from '../../src/io/atomic-write.js';

interface Row {
  model: string;
  params: number;
  batch640: BestOf;
  batch1: BestOf;
}

const perSecond = (b: BestOf) => (KPI_INFER_BATCH * 1000) / b.cpuMs;

export async function benchEnsemble(dir: string, out: string, rounds: number, reps: { batch640: number; batch1: number }, log: (m: string) => void): Promise<string> {
  await initEngine();
  const { model, manifest } = loadKpiModel(dir);
  if (!(model instanceof KpiEnsemble)) {
    disposeKpiModel(model);
    throw new Error(`--ensemble: '${dir}' is not an ensemble (architecture '${manifest.arch}')`);
  }
  const named: Array<[string, KpiModel]> = [['ensemble', model], ...model.members.map((m, i): [string, KpiModel] => [`member ${i + 1} (${m.config.arch}, seed ${m.config.seed})`, m])];
  const T = model.config.window;
  const windows = (n: number) => Float32Array.from({ length: n * T * 3 }, (_, i) => ((i * 7919) % 1000) / 1000);
  const [w640, w1] = [windows(KPI_INFER_BATCH), windows(1)];
  const predictors = await Promise.all(named.map(([, m]) => createKpiPredictor(m, { intraOpThreads: 1, onFallback: (why) => log(`serving engine: ${why}`) })));
  const contenders: Contender[] = named.flatMap(([name], i) => [
    { name: `${name}|640`, block: () => timeBlockAsync(() => predictors[i].predict(w640), reps.batch640) },
    { name: `${name}|1`, block: () => timeBlockAsync(() => predictors[i].predict(w1), reps.batch1) },
  ]);
  for (const c of contenders) await c.block();
  const load0 = loadavg();
  const best = await interleave(contenders, rounds, (name, round, s) => log(`round ${round + 1}/${rounds} ${name}: ${s.cpuMs.toFixed(2)} ms CPU`));
  const load = loadavg().map((v, i) => Math.max(v, load0[i]));
  const rows: Row[] = named.map(([name, m]) => ({ model: name, params: countParams(m), batch640: best[`${name}|640`], batch1: best[`${name}|1`] }));
  const [ens, ...members] = rows;
  // Running the members one after the other would give 1 / sum(1 / rate): what one graph should at least match.
  const sequential = 1 / members.reduce((s, r) => s + 1 / perSecond(r.batch640), 0);
  const doc = { model: dir, engine: predictors[0].engine, window: T, inferenceBatch: KPI_INFER_BATCH, rounds, reps, rows, sequentialMembersWindowsPerSecond: sequential, loadAverage: load, warning: loadWarning(load), machine: machineInfo(), date: new Date().toISOString() };
  const md = [
    `# KPI ensemble: serving speed beside its members (${predictors[0].engine}, one thread)`, '',
    `Made by \`npm run bench:kpi -- --ensemble ${dir}\`: ${rounds} interleaved rounds, the minimum of each. Windows/s per CPU second at batch ${KPI_INFER_BATCH}; wall latency at batch 1.`,
    ...(doc.warning ? ['', `**Warning:** ${doc.warning}.`] : []), '',
    '| Model | Params | windows/s (batch 640) | ensemble / this | latency batch 1 (ms) |', '|---|---:|---:|---:|---:|',
    ...rows.map((r) => `| ${r.model} | ${r.params} | ${perSecond(r.batch640).toFixed(0)} | ${(perSecond(ens.batch640) / perSecond(r.batch640)).toFixed(2)} | ${r.batch1.wallMs.toFixed(2)} |`),
    '', `The members one after the other: ${sequential.toFixed(0)} windows/s; the ensemble's one graph: ${perSecond(ens.batch640).toFixed(0)} (${(perSecond(ens.batch640) / sequential).toFixed(2)}x). Load average ${load.map((v) => v.toFixed(1)).join(' ')}.`, '',
  ].join('\n');
  writeFileAtomic(join(out, 'speed-ensemble.json'), `${JSON.stringify(doc, null, 2)}\n`);
  writeFileAtomic(join(out, 'speed-ensemble.md'), md);
  await Promise.all(predictors.map((p) => p.dispose()));
  disposeKpiModel(model);
  return md;
}
