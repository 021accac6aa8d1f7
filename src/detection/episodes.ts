/**
 * Episodes: closed ranges of rows [start, end] of one series (oldest row 0). Labelled
 * episodes are the runs of `lab_inf = 1` of a file, merged when closer than a gap: the
 * FccIQ labels flicker (Lvl_4 has 47 runs, 12 of them one row long), and an operator is
 * served by one alert per interference event, not one per flicker.
 */

/** Rows `start`..`end` (inclusive) of one series. */
export interface Episode {
  start: number;
  end: number;
}

/** Labelled runs closer than this are one episode, seconds. */
export const LABEL_MERGE_GAP_S = 2;

/** The runs of 1 in `labels`, as episodes, oldest first. */
export function labelRuns(labels: ArrayLike<number>): Episode[] {
  const runs: Episode[] = [];
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] !== 1) continue;
    if (runs.length > 0 && runs[runs.length - 1].end === i - 1) runs[runs.length - 1].end = i;
    else runs.push({ start: i, end: i });
  }
  return runs;
}

/**
 * The labelled episodes of a series: runs of 1 in `labels`, two runs merged when the time
 * from the last row of one to the first row of the next is less than `mergeGapS` seconds.
 * `timesMs`: each row's time (ms); without it no runs are merged (nothing says how far apart they are).
 */
export function labelledEpisodes(labels: ArrayLike<number>, timesMs?: ArrayLike<number>, mergeGapS = LABEL_MERGE_GAP_S): Episode[] {
  const merged: Episode[] = [];
  for (const run of labelRuns(labels)) {
    const last = merged[merged.length - 1];
    if (last && timesMs && timesMs[run.start] - timesMs[last.end] < mergeGapS * 1000) last.end = run.end;
    else merged.push({ ...run });
  }
  return merged;
}
