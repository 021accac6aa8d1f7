/**
 * `kpi:unseen --adapt`: the model trained without the left-out file (an outer run's saved
 * weights), fine-tuned on that file's labelled FIRST half (src/dnn/kpi/adapt.ts: the half's
 * last 20% picks the epoch; scaled with the pooled scaler, as the API's default path scales
 * that cell), scored on its second half like every run. Beside it in the report, the upper bound:
 * the recipe trained from scratch on the other files and that labelled half.
 */
import type { FcciqFile } from '../../src/datasets/kpi/fcciq.js';
import type { LeaveOneOutSplit } from './kpi-leave-one-out.js';
import { adaptationWindows, adaptKpiModel, type AdaptResult } from '../../src/dnn/kpi/adapt.js';
import type { KpiModel, KpiModelConfig } from '../../src/dnn/kpi/base.js';
import { createKpiModel } from '../../src/dnn/kpi/registry.js';
import { loadModel } from '../../src/dnn/model-io.js';

/** Loads the weights an outer run saved (manifest { arch, config }). */
export function loadRunModel(dir: string): KpiModel {
  const { weights, manifest } = loadModel<{ arch: string; config: KpiModelConfig }>(dir);
  const model = createKpiModel(manifest.arch, manifest.config);
  for (const [name, v] of Object.entries(model.params.vars)) v.assign(weights[name]);
  for (const w of Object.values(weights)) w.dispose();
  return model;
}

/** Fine-tunes `model` on the left-out file's labelled first half. */
export function adaptOnFirstHalf(model: KpiModel, split: LeaveOneOutSplit, file: FcciqFile, window: number, checkpointDir: string): AdaptResult & { trainWindows: number } {
  const { start, end } = split.rows.calibrate;
  const half: FcciqFile = { ...file, values: file.values.slice(start * 3, end * 3), labels: file.labels.slice(start, end) };
  const { train, val } = adaptationWindows([half], split.pooled, window);
  return { ...adaptKpiModel(model, train, val, { checkpointDir }), trainWindows: train.count };
}

interface ScoredRun {
  leftOut: string;
  seed: number;
  trainSeconds: number;
  trainCpuSeconds?: number;
  withoutProfile: { positives: number; balancedAccuracy: number; fpr: number | null };
}

/** Balanced accuracy asked after adaptation, on the files (short names) where it is asked. */
const ADAPT_GOALS: Record<string, number> = { Lvl_4: 0.88, Lvl_7: 0.88 };
/** Adaptation may cost at most this share of the from-scratch upper bound's training time. */
const TIME_SHARE = 0.2;

const pct = (x: number) => (100 * x).toFixed(1);
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const spread = (xs: number[]) => (xs.length ? `${pct(mean(xs))}${xs.length > 1 ? ` (${pct(Math.min(...xs))}-${pct(Math.max(...xs))})` : ''}` : '-');
const seconds = (rs: ScoredRun[]) => (rs.length ? `${mean(rs.map((r) => r.trainSeconds)).toFixed(0)}${rs.every((r) => r.trainCpuSeconds !== undefined) ? ` (CPU ${mean(rs.map((r) => r.trainCpuSeconds as number)).toFixed(0)})` : ''}` : '-');

/** Markdown lines and JSON: the recipe, the recipe adapted on the first half's labels and the upper bound, per left-out file. */
export function adaptSection(files: string[], recipe: ScoredRun[], adapted: ScoredRun[], bounds: ScoredRun[], minPositives: number, short: (f: string) => string): { lines: string[]; json: unknown } {
  const lines = [
    '## Adapting to the left-out cell from its labelled first half (`--adapt`)', '',
    'The recipe\'s model trained without the file, fine-tuned on the file\'s labelled first half (its last 20% picks the epoch; at most 10 epochs, patience 3, lr 3e-4), scored on the second half without a profile. The upper bound trains the recipe from scratch on the other files and that labelled half. Training time: mean wall seconds per model (CPU seconds), on a shared machine.', '',
    '| Left out | judged by | recipe | adapted | upper bound | adaptation s | upper bound s | goal | time <= 1/5 |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  const json: unknown[] = [];
  for (const file of files) {
    const of = (rs: ScoredRun[]) => rs.filter((r) => r.leftOut === file).sort((a, b) => a.seed - b.seed);
    const [r, a, b] = [of(recipe), of(adapted), of(bounds)];
    if (a.length === 0) continue;
    const byFpr = a[0].withoutProfile.positives < minPositives;
    const judged = (x: ScoredRun) => (byFpr ? x.withoutProfile.fpr ?? 0 : x.withoutProfile.balancedAccuracy);
    const goal = ADAPT_GOALS[short(file)];
    const goalText = goal === undefined ? '-' : `>= ${pct(goal)}: ${mean(a.map(judged)) >= goal ? 'met' : '**not met**'}`;
    const cost = (rs: ScoredRun[]) => mean(rs.map((x) => x.trainCpuSeconds ?? x.trainSeconds));
    const share = b.length ? cost(a) / cost(b) : NaN;
    const timeText = Number.isNaN(share) ? '-' : `${share.toFixed(2)} of the bound's ${a.every((x) => x.trainCpuSeconds !== undefined) && b.every((x) => x.trainCpuSeconds !== undefined) ? 'CPU' : 'wall'} time: ${share <= TIME_SHARE ? 'met' : '**not met**'}`;
    lines.push(`| ${short(file)} | ${byFpr ? 'FPR %' : 'balanced %'} | ${spread(r.map(judged))} | ${spread(a.map(judged))} | ${spread(b.map(judged))} | ${seconds(a)} | ${seconds(b)} | ${goalText} | ${timeText} |`);
    json.push({ file, judgedBy: byFpr ? 'fpr' : 'balancedAccuracy', recipe: r.map(judged), adapted: a.map(judged), upperBound: b.map(judged), adaptSeconds: a.map((x) => x.trainSeconds), adaptCpuSeconds: a.map((x) => x.trainCpuSeconds ?? null), boundSeconds: b.map((x) => x.trainSeconds), boundCpuSeconds: b.map((x) => x.trainCpuSeconds ?? null), costShare: share });
  }
  lines.push('');
  return { lines, json };
}
