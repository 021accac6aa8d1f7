/**
 * Event metrics in `kpi:unseen` (issue 21): the shipped alerting rule (src/detection/alerting.ts)
 * run over per-window probabilities on each left-out file's scored second half and scored against
 * its labelled episodes, all with the shared src/detection code, beside the per-window numbers:
 * per model (a baseline, one seed of the recipe, an ensemble) and file, and pooled over the files.
 */
import type { FcciqFile } from '../../src/datasets/kpi/fcciq.js';
import { DEFAULT_ALERTING } from '../../src/detection/alerting.js';
import type { EventMetrics } from '../../src/detection/event-metrics.js';
import { fcciqRowTimes } from '../../src/detection/fcciq-times.js';
import { seriesEvents } from '../../src/detection/window-events.js';
import { InputError } from '../../src/input-error.js';
import { leaveOneOutRows } from './kpi-leave-one-out.js';

/** One model's per-window probabilities on one left-out file's scored windows. */
export interface EventModel {
  model: string;
  file: string;
  probability: ArrayLike<number>;
}

/** The scored windows of one left-out file: each window's label and the time of its last row (ms). */
export interface ScoredWindows {
  file: string;
  labels: number[];
  timesMs: number[];
}

/**
 * The scored windows of file `leftOut` (window k ends at row start + k + window - 1 of its second
 * half), or an InputError when its CSV at `path` has no Time or lab_inf column to score by.
 */
export function scoredWindows(files: FcciqFile[], leftOut: number, path: string, window: number): ScoredWindows | InputError {
  let times: number[];
  try {
    times = fcciqRowTimes(path, files[leftOut]);
  } catch (err) {
    if (err instanceof InputError) return err;
    throw err;
  }
  const { start, end } = leaveOneOutRows(files.map((f) => f.labels.length), leftOut).score;
  const ends = Array.from({ length: Math.max(0, end - start - window) }, (_, k) => start + k + window - 1);
  return { file: files[leftOut].name, labels: ends.map((r) => files[leftOut].labels[r]), timesMs: ends.map((r) => times[r]) };
}

const f = (v: number | null, digits = 1) => (v === null ? '-' : v.toFixed(digits));
const pc = (v: number | null) => f(v === null ? null : 100 * v);

/** One table row of event metrics. */
function eventRow(model: string, file: string, m: EventMetrics): string {
  return `| ${model} | ${file} | ${m.caught} / ${m.labelledEpisodes} | ${pc(m.episodeRecall)} | ${m.falseAlerts} (${f(m.falseAlertsPerHour)}) | ${f(m.medianDelayS)} / ${f(m.p90DelayS)} | ${pc(m.rangePrecision)} / ${pc(m.rangeRecall)} |`;
}

/**
 * Markdown lines and JSON of the event metrics of `models` on the files of `scored` (a model's
 * probabilities on a file without times are left out, and the files without times are named).
 */
export function eventSection(models: EventModel[], scored: ScoredWindows[], unscored: string[], short: (file: string) => string): { lines: string[]; json: unknown } {
  const rule = DEFAULT_ALERTING;
  const lines = [
    '## Interference episodes on the left-out files (event metrics, no profile)', '',
    `The alerting rule's shipped defaults (raise at ${rule.k} window >= ${rule.pOn}, clear after ${rule.m} windows < ${rule.pOff}, a gap over ${rule.maxGapS} s ends an alert: src/detection/alerting.ts) run over each model's per-window probabilities on the left-out file's second half, no profile. Labelled episodes: runs of lab_inf = 1 (at a window's last row) merged when less than 2 s apart. Caught: an alert overlaps the episode; false alerts: alerts overlapping no episode, per hour of time outside the episodes; delay: from an episode's first row to the first alert row inside it; range precision / recall: Tatbul et al. (NeurIPS 2018). "all" pools the files (counts, delays and clean time summed).`,
  ];
  if (unscored.length) lines.push('', `Not scored by events (no Time or lab_inf column): ${unscored.join('; ')}.`);
  lines.push('', '| Model | left out | caught / episodes | recall % | false alerts (per hour) | delay median / p90 s | range precision / recall % |', '|---|---|---|---|---|---|---|');
  const json: unknown[] = [];
  for (const model of [...new Set(models.map((m) => m.model))]) {
    const series = models.flatMap((m) => {
      const s = m.model === model ? scored.find((x) => x.file === m.file) : undefined;
      if (!s) return [];
      if (s.labels.length !== m.probability.length) throw new Error(`${model} on ${m.file}: ${m.probability.length} probabilities for ${s.labels.length} scored windows`);
      return [{ name: m.file, probability: m.probability, labels: s.labels, timesMs: s.timesMs }];
    });
    if (series.length === 0) continue;
    const events = seriesEvents(series, rule);
    lines.push(eventRow(model, 'all', events.pooled), ...events.files.map((e) => eventRow(model, short(e.name), e.metrics)));
    json.push({ model, pooled: events.pooled, files: events.files.map((e) => ({ file: e.name, metrics: e.metrics })) });
  }
  lines.push('');
  return { lines, json: { rule, models: json, unscored } };
}
