/**
 * Event metrics of per-window probabilities on a window set built per file segment (the paper's
 * test split: src/datasets/kpi/fcciq.ts): window k of a segment ends at its row k + window - 1, so a
 * file's windows, in order, are its scored rows. The alerting rule runs over them with the rows'
 * times; labelled episodes are the windows' labels (lab_inf at the last step) merged under 2 s.
 */
import { listFcciqFiles, loadFcciqFiles, splitSizes } from '../datasets/kpi/fcciq.js';
import type { WindowSet } from '../datasets/kpi/windows.js';
import { InputError } from '../input-error.js';
import { alertEpisodes, DEFAULT_ALERTING, type AlertingRule } from './alerting.js';
import { labelledEpisodes } from './episodes.js';
import { eventMetrics, poolEventMetrics, type EventMetrics } from './event-metrics.js';
import { fcciqRowTimes } from './fcciq-times.js';

export interface SegmentTimes {
  name: string;
  /** Epoch ms of the segment's rows, oldest first. */
  timesMs: number[];
}

export interface WindowEvents {
  rule: AlertingRule;
  files: Array<{ name: string; metrics: EventMetrics }>;
  pooled: EventMetrics;
}

/** One file's scored windows, in order: each window's probability, its label and the time of its last row. */
export interface ScoredSeries {
  name: string;
  probability: ArrayLike<number>;
  labels: ArrayLike<number>;
  timesMs: ArrayLike<number>;
}

/** The alerting rule run over each file's windows, scored against its labelled episodes, and pooled. */
export function seriesEvents(series: ScoredSeries[], rule = DEFAULT_ALERTING): WindowEvents {
  const files = series.map((s) => {
    const alerts = alertEpisodes(s.probability, rule, s.timesMs);
    return { name: s.name, metrics: eventMetrics(labelledEpisodes(s.labels, s.timesMs), alerts, s.timesMs) };
  });
  return { rule, files, pooled: poolEventMetrics(files.map((f) => f.metrics)) };
}

/** `segments[i]` holds the times of the segment whose windows have `ws.source` = i. */
export function windowEvents(ws: Pick<WindowSet, 'count' | 'window' | 'label' | 'source'>, probability: ArrayLike<number>, segments: SegmentTimes[], rule = DEFAULT_ALERTING): WindowEvents {
  const series = segments.map((seg, fi) => {
    const idx: number[] = [];
    for (let k = 0; k < ws.count; k++) if (ws.source[k] === fi) idx.push(k);
    return {
      name: seg.name,
      probability: idx.map((k) => probability[k]),
      labels: idx.map((k) => ws.label[k]),
      timesMs: idx.map((_, k) => seg.timesMs[k + ws.window - 1]),
    };
  });
  return seriesEvents(series, rule);
}

/**
 * Event metrics of `probability` on the test windows `ws` of the FccIQ CSVs in `dir` (loaded as
 * loadKpiDataset loads them), or null when a file has no Time or lab_inf column to score by.
 */
export function testSplitEvents(dir: string, ws: WindowSet, probability: ArrayLike<number>, rule = DEFAULT_ALERTING): WindowEvents | null {
  const paths = listFcciqFiles(dir);
  const { files } = loadFcciqFiles(dir);
  try {
    const segments = files.map((f, i) => {
      const s = splitSizes(f.labels.length);
      return { name: f.name, timesMs: fcciqRowTimes(paths[i], f).slice(s.train + s.val) };
    });
    return windowEvents(ws, probability, segments, rule);
  } catch (err) {
    if (err instanceof InputError) return null;
    throw err;
  }
}

/** One line of the pooled event metrics and the rule, for a terminal. */
export function eventsLine(e: WindowEvents): string {
  const m = e.pooled;
  const f = (v: number | null, d = 1) => (v === null ? '-' : v.toFixed(d));
  const r = e.rule;
  return `episodes (rule k ${r.k}, pOn ${r.pOn}, m ${r.m}, pOff ${r.pOff}, gap ${r.maxGapS} s): ${m.caught} of ${m.labelledEpisodes} caught (${f(m.episodeRecall === null ? null : 100 * m.episodeRecall)}%), ${m.falseAlerts} false alerts (${f(m.falseAlertsPerHour)}/h of clean time), delay median ${f(m.medianDelayS)} s, p90 ${f(m.p90DelayS)} s, range precision ${f(m.rangePrecision === null ? null : 100 * m.rangePrecision)}%, recall ${f(m.rangeRecall === null ? null : 100 * m.rangeRecall)}%`;
}
