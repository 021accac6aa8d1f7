/**
 * The KPI report (paper Tables 5 and 6, Fig. 8 analogues) from finished runs: each
 * run is a model directory saved by run.ts plus its test predictions. Writes
 * Markdown + CSV + JSON tables and the charts (plots.ts) into one directory.
 */
import { join } from 'node:path';
import { writeFileAtomic } from '../../io/atomic-write.js';
import { readModelSidecar } from '../model-io.js';
import { KPI_KEYS } from '../../datasets/kpi/fcciq.js';
import { meanCi } from './metrics.js';
import { ARCH_LABELS, KPI_ARCHS, type KpiArch } from './registry.js';
import type { KpiModelManifest } from './model.js';
import { seedEnsembles } from './seed-ensembles.js';
import { writeKpiCharts } from './plots.js';

export interface RunRecord {
  arch: KpiArch;
  seed: number;
  dir: string;
  manifest: KpiModelManifest;
  sizeBytes: number;
}

/** Sidecar of a run's model holding its TestPredictions. */
export const PREDICTIONS_FILE = 'test-predictions.json';

export interface TestPredictions {
  /** Physical truth and prediction of the plotted file's test windows. */
  file: string;
  sinrTrue: number[];
  sinrPred: number[];
  sinrLast: number[];
  probInterference: number[];
  label: number[];
  /** Every test window (all files): the interference probability and label (absent in runs saved before). */
  testProb?: number[];
  testLabel?: number[];
}

type Stat = { mean: number; ci95: number; n: number };

export interface ArchSummary {
  arch: KpiArch;
  label: string;
  seeds: number[];
  epochs: number[];
  bestEpochs: number[];
  accuracy: Stat;
  balancedAccuracy: Stat;
  /** Lowest and highest over the seeds: what one retraining may give. */
  accuracyRange: [number, number];
  balancedAccuracyRange: [number, number];
  f1: Stat;
  auc: Stat;
  majorityAccuracy: number;
  totalLoss: Stat;
  regLoss: Stat;
  clsLoss: Stat;
  mse: Record<string, Stat>;
  persistenceMse: Record<string, number>;
  rmsePhysical: Record<string, Stat>;
  persistenceRmsePhysical: Record<string, number>;
  beatsPersistence: Record<string, boolean>;
  params: number;
  macs: number;
  sizeMB: number;
  trainSeconds: Stat;
  stepMs: Stat;
  testSeconds: Stat;
  latencyBatch1Ms: Stat;
  latencyBatchedMs: Stat;
  hidden: number;
  window: number;
  context: number;
  weighting: string;
}

export function summarize(runs: RunRecord[]): ArchSummary[] {
  const out: ArchSummary[] = [];
  for (const arch of KPI_ARCHS) {
    const rs = runs.filter((r) => r.arch === arch).sort((a, b) => a.seed - b.seed);
    if (rs.length === 0) continue;
    const st = (f: (r: RunRecord) => number) => meanCi(rs.map(f));
    const range = (f: (r: RunRecord) => number): [number, number] => [Math.min(...rs.map(f)), Math.max(...rs.map(f))];
    const m0 = rs[0].manifest;
    const mse = Object.fromEntries(KPI_KEYS.map((k) => [k, st((r) => r.manifest.test.metrics.mse[k])]));
    out.push({
      arch,
      label: ARCH_LABELS[arch],
      seeds: rs.map((r) => r.seed),
      epochs: rs.map((r) => r.manifest.training.epochsRun),
      bestEpochs: rs.map((r) => r.manifest.training.bestEpoch),
      accuracy: st((r) => r.manifest.test.metrics.accuracy),
      balancedAccuracy: st((r) => r.manifest.test.metrics.balancedAccuracy),
      accuracyRange: range((r) => r.manifest.test.metrics.accuracy),
      balancedAccuracyRange: range((r) => r.manifest.test.metrics.balancedAccuracy),
      f1: st((r) => r.manifest.test.metrics.f1),
      auc: st((r) => r.manifest.test.metrics.auc),
      majorityAccuracy: m0.test.metrics.majorityAccuracy,
      totalLoss: st((r) => r.manifest.test.metrics.totalLoss),
      regLoss: st((r) => r.manifest.test.metrics.regLoss),
      clsLoss: st((r) => r.manifest.test.metrics.crossEntropy),
      mse,
      persistenceMse: { ...m0.test.metrics.persistenceMse },
      rmsePhysical: Object.fromEntries(KPI_KEYS.map((k) => [k, st((r) => r.manifest.test.metrics.rmsePhysical[k])])),
      persistenceRmsePhysical: { ...m0.test.metrics.persistenceRmsePhysical },
      beatsPersistence: Object.fromEntries(KPI_KEYS.map((k) => [k, rs.every((r) => r.manifest.test.metrics.mse[k] <= r.manifest.test.metrics.persistenceMse[k])])),
      params: m0.test.params,
      macs: m0.test.macs,
      sizeMB: rs[0].sizeBytes / 1e6,
      trainSeconds: st((r) => r.manifest.training.trainSeconds),
      stepMs: st((r) => r.manifest.training.stepMs),
      testSeconds: st((r) => r.manifest.test.timings.testSeconds),
      latencyBatch1Ms: st((r) => r.manifest.test.timings.latencyBatch1Ms),
      latencyBatchedMs: st((r) => r.manifest.test.timings.latencyBatchedMs),
      hidden: m0.config.hidden,
      window: m0.window,
      context: m0.config.context ?? m0.window,
      weighting: String(m0.training.options.weighting),
    });
  }
  return out;
}

const pm = (s: Stat, scale = 1, digits = 2) => (Number.isFinite(s.ci95) ? `${(s.mean * scale).toFixed(digits)} ± ${(s.ci95 * scale).toFixed(digits)}` : (s.mean * scale).toFixed(digits));
const minMax = ([lo, hi]: [number, number]) => `${(100 * lo).toFixed(2)}-${(100 * hi).toFixed(2)}`;
const pe = (s: Stat) => (Number.isFinite(s.ci95) ? `${s.mean.toExponential(2)} ± ${s.ci95.toExponential(1)}` : s.mean.toExponential(2));

function table(header: string[], rows: string[][]): string {
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

function csv(header: string[], rows: (string | number)[][]): string {
  return [header.join(','), ...rows.map((r) => r.join(','))].join('\n') + '\n';
}

export interface ReportMeta {
  command: string;
  budget: Record<string, unknown>;
  /** The runs scored by episodes (src/detection/reproduction-events.ts): the report's section and results.json's `events`. */
  events?: { section: string[]; json: unknown };
}

/** Under the plots: which model the per-run charts show (the served one is trained apart, so its numbers differ). */
const CONFUSION_NOTE =
  "The confusion matrices and prediction plots show this report's runs (per architecture, the seed with the lowest validation loss). " +
  'The served model `models/kpi-ple` is another run, trained by `radio-mtl train kpi` with the recipe (src/dnn/kpi/recipe.ts); ' +
  '`radio-mtl evaluate kpi --model models/kpi-ple --data DIR` prints its own confusion matrix.';

/** Writes the report files into `outDir`; returns the Markdown text. */
export async function writeReport(outDir: string, runs: RunRecord[], preds: Map<string, TestPredictions>, meta: ReportMeta): Promise<string> {
  const S = summarize(runs);
  const ensembles = seedEnsembles(runs, preds);
  const t5Header = ['Model', 'Seeds', 'Epochs run (best)', 'Total loss', 'Reg. loss', 'Cls. loss', 'MSE RSRP', 'MSE RSRQ', 'MSE SINR', 'Acc (%)', 'Acc min-max', 'Balanced acc (%)', 'Balanced min-max', 'F1', 'ROC-AUC'];
  const t5 = S.map((s) => [
    s.label, String(s.seeds.length), s.epochs.map((e, i) => `${e} (${s.bestEpochs[i]})`).join(', '),
    pm(s.totalLoss, 1, 4), pe(s.regLoss), pm(s.clsLoss, 1, 4), pe(s.mse.rsrp), pe(s.mse.rsrq), pe(s.mse.sinr),
    pm(s.accuracy, 100), minMax(s.accuracyRange), pm(s.balancedAccuracy, 100), minMax(s.balancedAccuracyRange), pm(s.f1, 1, 4), pm(s.auc, 1, 4),
  ]);
  const p0 = S[0];
  const persRow = p0 ? ['Persistence (next = last)', '-', '-', '-', ((p0.persistenceMse.rsrp + p0.persistenceMse.rsrq + p0.persistenceMse.sinr) / 3).toExponential(2), '-', p0.persistenceMse.rsrp.toExponential(2), p0.persistenceMse.rsrq.toExponential(2), p0.persistenceMse.sinr.toExponential(2), '-', '-', '-', '-', '-', '-'] : [];
  const majRow = p0 ? ['Majority class', '-', '-', '-', '-', '-', '-', '-', '-', (100 * p0.majorityAccuracy).toFixed(2), '-', '50.00', '-', '0', '0.5'] : [];
  const rmseHeader = ['Model', 'RMSE RSRP (dBm)', 'persistence', 'RMSE RSRQ (dB)', 'persistence', 'RMSE SINR (dB)', 'persistence', 'MSE <= persistence (every seed)'];
  const rmse = S.map((s) => [s.label, ...KPI_KEYS.flatMap((k) => [pm(s.rmsePhysical[k], 1, 3), s.persistenceRmsePhysical[k].toFixed(3)]), KPI_KEYS.map((k) => `${k.toUpperCase()} ${s.beatsPersistence[k] ? 'yes' : 'NO'}`).join(', ')]);
  const t6Header = ['Model', 'Params', 'Model size (MB)', 'MACs/sample ("FLOPs")', 'Train (s)', 'Step (ms)', 'Test (s)', 'Latency batch 1 (ms)', 'Latency batched (ms/sample)'];
  const t6 = S.map((s) => [s.label, String(s.params), s.sizeMB.toFixed(3), `${(s.macs / 1e6).toFixed(3)}M`, pm(s.trainSeconds, 1, 0), pm(s.stepMs, 1, 1), pm(s.testSeconds, 1, 3), pm(s.latencyBatch1Ms, 1, 2), pm(s.latencyBatchedMs, 1, 4)]);

  const md = [
    '# KPI prediction + interference detection: results',
    '',
    `Made by \`${meta.command}\`. H = ${[...new Set(S.map((s) => s.hidden))].join(', ')}, window ${[...new Set(S.map((s) => s.window))].join(', ')}, LSTM context ${[...new Set(S.map((s) => s.context))].join(', ')} steps, loss weighting ${[...new Set(S.map((s) => s.weighting))].join(', ')}, residual (next = last + change, with AR highway). Test split: ${runs[0]?.manifest.test.metrics.count ?? 0} windows. Mean ± 95% t-interval over seeds (no interval for one seed), and the lowest and highest seed (min-max): the spread of independent trainings. All losses averaged per sample over the whole test split; MSE on min-max scaled data (scaled once).`,
    '',
    '## Table 5 analogue: test performance',
    '',
    table(t5Header, [...t5, persRow, majRow].filter((r) => r.length > 0)),
    '',
    '## Ensembles of the seeds',
    '',
    'Per architecture, the mean interference probability of its seeds (what `radio-mtl train kpi --ensemble K` with those seeds answers), scored on the same test windows.',
    '',
    table(['Model', 'Seeds', 'Acc (%)', 'Balanced acc (%)', 'seeds: acc min-max', 'seeds: balanced min-max'], ensembles.map((e) => {
      const s = S.find((x) => x.arch === e.arch);
      return [`${s?.label ?? e.arch} ensemble`, e.seeds.join(', '), (100 * e.accuracy).toFixed(2), (100 * e.balancedAccuracy).toFixed(2), s ? minMax(s.accuracyRange) : '-', s ? minMax(s.balancedAccuracyRange) : '-'];
    })),
    '',
    ...(meta.events?.section ?? []),
    '## Regression in physical units',
    '',
    table(rmseHeader, rmse),
    '',
    '## Table 6 analogue: cost',
    '',
    'MACs per sample of one forward pass, thop convention (the paper\'s "FLOPs"; see docs/kpi.md). Times are wall clock on a shared 2-core machine (tfjs-wasm, one thread per process, other jobs running), so they are upper bounds.',
    '',
    table(t6Header, t6),
    '',
    '## Budget',
    '',
    '```json',
    JSON.stringify(meta.budget, null, 2),
    '```',
    '',
    '## Plots',
    '',
    '- Fig. 8 analogues: [MACs vs regression loss](fig8a-macs-vs-regloss.svg), [latency vs regression loss](fig8b-latency-vs-regloss.svg), [accuracy vs model size](fig8c-accuracy-vs-size.svg)',
    ...S.map((s) => `- ${s.label}: [confusion matrix](confusion-${s.arch}.svg), [SINR prediction vs truth](pred-${s.arch}.svg)`),
    '',
    CONFUSION_NOTE,
    '',
  ].join('\n');

  writeFileAtomic(join(outDir, 'README.md'), md);
  writeFileAtomic(join(outDir, 'table5.csv'), csv(['model', 'seeds', 'total_loss', 'reg_loss', 'cls_loss', 'mse_rsrp', 'mse_rsrq', 'mse_sinr', 'persistence_mse_rsrp', 'persistence_mse_rsrq', 'persistence_mse_sinr', 'accuracy', 'accuracy_ci95', 'balanced_accuracy', 'balanced_accuracy_ci95', 'f1', 'auc', 'majority_accuracy'],
    S.map((s) => [s.arch, s.seeds.length, s.totalLoss.mean, s.regLoss.mean, s.clsLoss.mean, s.mse.rsrp.mean, s.mse.rsrq.mean, s.mse.sinr.mean, s.persistenceMse.rsrp, s.persistenceMse.rsrq, s.persistenceMse.sinr, s.accuracy.mean, s.accuracy.ci95, s.balancedAccuracy.mean, s.balancedAccuracy.ci95, s.f1.mean, s.auc.mean, s.majorityAccuracy])));
  writeFileAtomic(join(outDir, 'table6.csv'), csv(['model', 'params', 'size_mb', 'macs', 'train_s', 'step_ms', 'test_s', 'latency_batch1_ms', 'latency_batched_ms_per_sample'],
    S.map((s) => [s.arch, s.params, s.sizeMB, s.macs, s.trainSeconds.mean, s.stepMs.mean, s.testSeconds.mean, s.latencyBatch1Ms.mean, s.latencyBatchedMs.mean])));
  writeFileAtomic(join(outDir, 'results.json'), `${JSON.stringify({ command: meta.command, budget: meta.budget, summary: S, seedEnsembles: ensembles, events: meta.events?.json ?? null, runs: runs.map((r) => ({ arch: r.arch, seed: r.seed, inputs: r.manifest.inputs ?? 'file-minmax', sizeBytes: r.sizeBytes, training: { ...r.manifest.training, history: r.manifest.training.history.map((h) => ({ epoch: h.epoch, trainLoss: h.trainLoss, valLoss: h.valLoss, valAccuracy: h.valAccuracy, seconds: h.seconds })) }, test: r.manifest.test })) }, null, 2)}\n`);

  await writeKpiCharts(outDir, S, runs.map((r) => ({ arch: r.arch, seed: r.seed, bestValLoss: r.manifest.training.bestValLoss, confusion: r.manifest.test.metrics.confusion, inputs: r.manifest.inputs ?? 'file-minmax', predictions: preds.get(r.dir) })));
  return md;
}

/** The test predictions saved with the run's model (undefined when it has none). */
export function readPredictions(dir: string): TestPredictions | undefined {
  const text = readModelSidecar(dir, PREDICTIONS_FILE);
  return text === undefined ? undefined : (JSON.parse(text) as TestPredictions);
}
