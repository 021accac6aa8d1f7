/**
 * Event metrics (event-metrics.ts) as Markdown table rows, one layout for every report that
 * scores detection by episodes (`kpi:episodes`, `reproduce:kpi`).
 */
import type { EventMetrics } from './event-metrics.js';

/** A fraction as a percentage with one decimal, '-' when undefined. */
export const percent = (v: number | null): string => (v === null ? '-' : (100 * v).toFixed(1));

/** A number with `digits` decimals, '-' when undefined. */
export const decimal = (v: number | null, digits = 1): string => (v === null ? '-' : v.toFixed(digits));

/** The header and alignment lines of an event table whose first column is `first`. */
export function eventTableHeader(first = ''): string[] {
  return [
    `|${first ? ` ${first} ` : ' '}| episodes | caught | recall % | false alerts | clean min | false alerts/h | median delay s | p90 delay s | range precision % | range recall % |`,
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
}

/** One row of an event table. */
export function eventTableRow(label: string, m: EventMetrics): string {
  return `| ${label} | ${m.labelledEpisodes} | ${m.caught} | ${percent(m.episodeRecall)} | ${m.falseAlerts} | ${decimal(m.cleanSeconds / 60)} | ${decimal(m.falseAlertsPerHour)} | ${decimal(m.medianDelayS)} | ${decimal(m.p90DelayS)} | ${percent(m.rangePrecision)} | ${percent(m.rangeRecall)} |`;
}
