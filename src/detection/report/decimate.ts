/**
 * Level of detail for long series in the report's chart: M4 aggregation (Jugel et al., "M4: A
 * Visualization-Oriented Time Series Data Aggregation", VLDB 2014). Per pixel column of the
 * visible time range it keeps the first, the lowest, the highest and the last point, so a line
 * through them covers the same pixels as a line through every point, with at most four points a
 * column: a 20,000-row file draws a few thousand points per series instead of 20,000.
 * Self-contained (no imports at run time): the report pages run it in the browser.
 */

/** A point of a series: its position on the time axis (ms or row) and its value. */
export interface SeriesPoint {
  t: number;
  v: number;
}

/**
 * The points of `points` (sorted by t) to draw over [lo, hi] at `columns` pixel columns: all of
 * them when there are at most 4 per column, else first, lowest, highest and last of each column;
 * plus the nearest point outside the range on each side, so the line runs on to the edges.
 */
export function decimateM4<P extends SeriesPoint>(points: P[], lo: number, hi: number, columns: number): P[] {
  let a = 0;
  while (a < points.length && points[a].t < lo) a++;
  let b = points.length - 1;
  while (b >= 0 && points[b].t > hi) b--;
  const out: P[] = a > 0 ? [points[a - 1]] : [];
  if (b - a + 1 <= 4 * columns) {
    for (let i = a; i <= b; i++) out.push(points[i]);
  } else {
    const width = (hi - lo) / columns;
    let column = -1;
    let first = 0, low = 0, high = 0, last = 0;
    const flush = () => {
      if (column >= 0) for (const i of [...new Set([first, low, high, last])].sort((x, y) => x - y)) out.push(points[i]);
    };
    for (let i = a; i <= b; i++) {
      const c = Math.min(columns - 1, Math.floor((points[i].t - lo) / width));
      if (c !== column) {
        flush();
        column = c;
        first = low = high = last = i;
        continue;
      }
      last = i;
      if (points[i].v < points[low].v) low = i;
      if (points[i].v > points[high].v) high = i;
    }
    flush();
  }
  if (b + 1 < points.length) out.push(points[b + 1]);
  return out;
}
