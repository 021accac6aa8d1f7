/**
 * Event-level scores of alert episodes against labelled episodes (both row ranges of one
 * series with its times), what an operator cares about instead of per-window accuracy:
 *  - episode recall: a labelled episode is caught when an alert episode overlaps it;
 *  - false alerts per hour of clean time: alert episodes that overlap no labelled episode,
 *    over the time not inside a labelled episode;
 *  - detection delay of each caught episode: from its first row to the first alert row
 *    inside it (0 when an alert was already up when it began), seconds;
 *  - range-based precision and recall (Tatbul et al., "Precision and Recall for Time Series",
 *    NeurIPS 2018) with existence weight alpha = 0, flat positional bias and reciprocal
 *    cardinality (a range overlapped by x > 1 ranges of the other side counts 1/x).
 */
import type { Episode } from './episodes.js';

export interface EventMetrics {
  labelledEpisodes: number;
  alertEpisodes: number;
  caught: number;
  /** caught / labelledEpisodes (null when there is no labelled episode). */
  episodeRecall: number | null;
  falseAlerts: number;
  /** Time not inside a labelled episode, seconds. */
  cleanSeconds: number;
  /** falseAlerts per hour of clean time (null without clean time). */
  falseAlertsPerHour: number | null;
  /** Detection delays of the caught episodes, seconds, in episode order. */
  delaysS: number[];
  medianDelayS: number | null;
  p90DelayS: number | null;
  rangePrecision: number | null;
  rangeRecall: number | null;
}

const overlaps = (a: Episode, b: Episode): boolean => a.start <= b.end && b.start <= a.end;

/** The q-quantile (linear interpolation between order statistics) of `values`, null when empty. */
export function quantile(values: number[], q: number): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const pos = q * (s.length - 1);
  const lo = Math.floor(pos);
  return s[lo] + (s[Math.min(lo + 1, s.length - 1)] - s[lo]) * (pos - lo);
}

/**
 * Tatbul et al.'s overlap reward of `range` against `others` (alpha = 0, flat bias): the share
 * of its rows covered by `others`, divided by the number of `others` it overlaps when above one.
 */
function overlapReward(range: Episode, others: Episode[]): number {
  let covered = 0;
  let count = 0;
  for (const o of others) {
    if (!overlaps(range, o)) continue;
    count++;
    covered += Math.min(range.end, o.end) - Math.max(range.start, o.start) + 1;
  }
  if (count === 0) return 0;
  return covered / (range.end - range.start + 1) / Math.max(1, count);
}

function meanReward(ranges: Episode[], others: Episode[]): number | null {
  if (ranges.length === 0) return null;
  return ranges.reduce((sum, r) => sum + overlapReward(r, others), 0) / ranges.length;
}

/** Seconds covered by the series (first to last row) outside every labelled episode. */
function cleanSeconds(labelled: Episode[], timesMs: ArrayLike<number>): number {
  if (timesMs.length === 0) return 0;
  const total = timesMs[timesMs.length - 1] - timesMs[0];
  const inside = labelled.reduce((sum, e) => sum + (timesMs[e.end] - timesMs[e.start]), 0);
  return (total - inside) / 1000;
}

/** Event metrics of `alerts` against `labelled` on a series whose rows have times `timesMs` (ms). */
export function eventMetrics(labelled: Episode[], alerts: Episode[], timesMs: ArrayLike<number>): EventMetrics {
  const delaysS: number[] = [];
  for (const e of labelled) {
    const first = alerts.find((a) => overlaps(a, e));
    if (first) delaysS.push(Math.max(0, timesMs[first.start] - timesMs[e.start]) / 1000);
  }
  const falseAlerts = alerts.filter((a) => !labelled.some((e) => overlaps(a, e))).length;
  const counts = { labelledEpisodes: labelled.length, alertEpisodes: alerts.length, caught: delaysS.length, falseAlerts, cleanSeconds: cleanSeconds(labelled, timesMs), delaysS };
  return withRates(counts, meanReward(alerts, labelled), meanReward(labelled, alerts));
}

type EventCounts = Pick<EventMetrics, 'labelledEpisodes' | 'alertEpisodes' | 'caught' | 'falseAlerts' | 'cleanSeconds' | 'delaysS'>;

/** The metrics that follow from the counts: recall, false alerts per clean hour, delay quantiles. */
function withRates(c: EventCounts, rangePrecision: number | null, rangeRecall: number | null): EventMetrics {
  return {
    ...c,
    episodeRecall: c.labelledEpisodes ? c.caught / c.labelledEpisodes : null,
    falseAlertsPerHour: c.cleanSeconds > 0 ? c.falseAlerts / (c.cleanSeconds / 3600) : null,
    medianDelayS: quantile(c.delaysS, 0.5),
    p90DelayS: quantile(c.delaysS, 0.9),
    rangePrecision,
    rangeRecall,
  };
}

/** Metrics of several series taken together (counts, delays and clean time summed; range scores averaged over all ranges). */
export function poolEventMetrics(parts: EventMetrics[]): EventMetrics {
  const sum = (f: (m: EventMetrics) => number) => parts.reduce((s, m) => s + f(m), 0);
  const weighted = (f: (m: EventMetrics) => number | null, w: (m: EventMetrics) => number): number | null => {
    const total = sum(w);
    return total > 0 ? sum((m) => (f(m) ?? 0) * w(m)) / total : null;
  };
  const counts = {
    labelledEpisodes: sum((m) => m.labelledEpisodes),
    alertEpisodes: sum((m) => m.alertEpisodes),
    caught: sum((m) => m.caught),
    falseAlerts: sum((m) => m.falseAlerts),
    cleanSeconds: sum((m) => m.cleanSeconds),
    delaysS: parts.flatMap((m) => m.delaysS),
  };
  return withRates(counts, weighted((m) => m.rangePrecision, (m) => m.alertEpisodes), weighted((m) => m.rangeRecall, (m) => m.labelledEpisodes));
}
