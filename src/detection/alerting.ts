/**
 * The alerting rule: per-row interference probabilities in, alert episodes out, with
 * hysteresis so that one noisy window neither raises nor clears an alert. An alert is raised
 * at the k-th consecutive window at or above `pOn` and cleared after `m` consecutive windows
 * below `pOff`; a gap in the timestamps longer than `maxGapS` ends an open alert (the cell
 * was not watched) and restarts both counts. A row without a probability (the first
 * window - 1 rows, or a window with too many missing values) restarts both counts.
 *
 * An episode starts at the row where its alert is raised (what an operator sees, so detection
 * delays are honest) and ends at the last row before the m clearing windows, the last row
 * before a gap, or the series' last row.
 */
import type { Episode } from './episodes.js';

export interface AlertingRule {
  /** Consecutive windows at or above pOn that raise an alert. */
  k: number;
  /** Probability at or above which a window counts towards raising. */
  pOn: number;
  /** Consecutive windows below pOff that clear an alert. */
  m: number;
  /** Probability below which a window counts towards clearing (<= pOn). */
  pOff: number;
  /** A timestamp gap longer than this ends an alert, seconds. */
  maxGapS: number;
}

/**
 * Chosen on the paper's validation split by `npm run kpi:episodes` (results/kpi/episodes.md;
 * docs/kpi.md, "Alerts and episodes"): raise at the first window at or above 0.5, clear after 6
 * windows below 0.2 (about 3 s at FccIQ's 0.5 s rows); the gap limit is fixed, not tuned.
 */
export const DEFAULT_ALERTING: AlertingRule = { k: 1, pOn: 0.5, m: 6, pOff: 0.2, maxGapS: 10 };

/** Largest k and m (openapi.yaml's AlertingRule). */
const MAX_WINDOW_COUNT = 1000;

/** Why a window count (k, m) is not one, in the words of openapi.yaml's AlertingRule (same bounds). */
function countProblem(v: number): string | undefined {
  if (!Number.isInteger(v)) return 'must be an integer';
  if (v < 1) return 'must be >= 1';
  if (v > MAX_WINDOW_COUNT) return `must be <= ${MAX_WINDOW_COUNT}`;
  return undefined;
}

/** Why `rule` is not a valid rule (field and rule), or undefined. */
export function alertingProblem(rule: AlertingRule): { field: keyof AlertingRule; rule: string } | undefined {
  for (const field of ['k', 'm'] as const) {
    const problem = countProblem(rule[field]);
    if (problem) return { field, rule: problem };
  }
  if (!(rule.pOn >= 0 && rule.pOn <= 1)) return { field: 'pOn', rule: 'must be in [0, 1]' };
  if (!(rule.pOff >= 0 && rule.pOff <= rule.pOn)) return { field: 'pOff', rule: `must be in [0, pOn = ${rule.pOn}]` };
  if (!(rule.maxGapS > 0)) return { field: 'maxGapS', rule: 'must be > 0' };
  return undefined;
}

/** The alert episodes of `probability` (null: no window) under `rule`; `timesMs` (ms) enables the gap limit. */
export function alertEpisodes(probability: ArrayLike<number | null>, rule: AlertingRule, timesMs?: ArrayLike<number>): Episode[] {
  const episodes: Episode[] = [];
  let open: Episode | undefined;
  let above = 0;
  let below = 0;
  for (let i = 0; i < probability.length; i++) {
    if (timesMs && i > 0 && timesMs[i] - timesMs[i - 1] > rule.maxGapS * 1000) {
      if (open) episodes.push({ start: open.start, end: i - 1 });
      open = undefined;
      above = below = 0;
    }
    const p = probability[i];
    if (p === null || !Number.isFinite(p)) {
      above = below = 0;
      continue;
    }
    above = p >= rule.pOn ? above + 1 : 0;
    below = p < rule.pOff ? below + 1 : 0;
    if (!open && above >= rule.k) open = { start: i, end: i };
    else if (open && below >= rule.m) {
      // The alert was up until the clearing windows began (an alert raised at most then).
      episodes.push({ start: open.start, end: Math.max(open.start, i - rule.m) });
      open = undefined;
    }
  }
  if (open) episodes.push({ start: open.start, end: probability.length - 1 });
  return episodes;
}
