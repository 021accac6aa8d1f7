/**
 * The detection report's chart as one Vega-Lite spec: RSRP, RSRQ and SINR measured (lines) with
 * the model's next-row forecasts (dashed), the interference probability with the rule's pOn,
 * alert episodes shaded orange and labelled episodes (when the file has labels) shaded blue
 * behind every panel; the time axis zooms (wheel) and pans (drag), all panels together. Long
 * series are drawn decimated to the chart's pixel columns (decimate.ts); episodes are exact.
 * Self-contained (no imports at run time): the page and the HTML report run it in the browser.
 */
import type { Episode } from '../episodes.js';
import { decimateM4, type SeriesPoint } from './decimate.js';

export interface ReportData {
  title: string;
  model: string;
  windowLength: number;
  alerting: { k: number; pOn: number; m: number; pOff: number; maxGapS: number };
  rows: Array<ReadonlyArray<number | null>>;
  timesMs?: number[];
  probability: Array<number | null>;
  forecast: Array<ReadonlyArray<number> | null>;
  episodes: Array<Episode & { startTime?: string; endTime?: string; durationS?: number; peakProbability: number; meanProbability: number }>;
  /** Labelled episodes (merged runs of lab_inf), when the file has labels. */
  labelled?: Episode[];
}

/** The panels' width in pixels: the columns the chart decimates long series to. */
export const CHART_WIDTH = 900;

/** The KPI panels: name and unit. */
export const KPIS = [
  ['RSRP', 'dBm'],
  ['RSRQ', 'dB'],
  ['SINR', 'dB'],
];

export interface ReportSeries {
  /** The time axis from the first row to the last (ms, or rows without times). */
  extent: [number, number];
  /** Every point of every line, sorted by t: `<KPI> measured`, `<KPI> forecast` and `probability`. */
  lines: Record<string, SeriesPoint[]>;
}

/** Every point the chart could draw, whole. */
export function reportSeries(data: ReportData): ReportSeries {
  const at = (i: number) => (data.timesMs === undefined ? i : data.timesMs[i]);
  const lines: Record<string, SeriesPoint[]> = { probability: [] };
  KPIS.forEach(([name], j) => {
    const measured: SeriesPoint[] = [];
    const forecast: SeriesPoint[] = [];
    data.rows.forEach((row, i) => {
      if (row[j] !== null) measured.push({ t: at(i), v: row[j] as number });
      const f = data.forecast[i];
      // The forecast made at row i is of row i + 1: drawn where it applies.
      if (f && i + 1 < data.rows.length) forecast.push({ t: at(i + 1), v: f[j] });
    });
    lines[`${name} measured`] = measured;
    lines[`${name} forecast`] = forecast;
  });
  data.probability.forEach((p, i) => {
    if (p !== null) lines.probability.push({ t: at(i), v: p });
  });
  return { extent: [at(0), at(data.rows.length - 1)], lines };
}

/**
 * The lines' named datasets over `range` (null: the whole series) at `columns` pixel columns
 * (decimate.ts; Infinity: every point): one dataset per KPI (measured and forecast, by `kind`)
 * and `probability`.
 */
export function reportDatasets(series: ReportSeries, range: [number, number] | null, columns: number): Record<string, object[]> {
  const [lo, hi] = range ?? series.extent;
  const pick = (name: string) => decimateM4(series.lines[name], lo, hi, columns);
  const out: Record<string, object[]> = { probability: pick('probability') };
  for (const [name] of KPIS) out[name] = [...pick(`${name} measured`).map((p) => ({ ...p, kind: 'measured' })), ...pick(`${name} forecast`).map((p) => ({ ...p, kind: 'forecast' }))];
  return out;
}

/** The chart's spec; `datasets` (reportDatasets) default to the whole series at the chart's width. */
export function reportSpec(data: ReportData, datasets: Record<string, object[]> = reportDatasets(reportSeries(data), null, CHART_WIDTH)): object {
  const timed = data.timesMs !== undefined;
  const at = (i: number) => (timed ? (data.timesMs as number[])[i] : i);
  const x = timed ? { field: 't', type: 'temporal', title: 'time (UTC)', axis: { format: '%H:%M:%S' }, scale: { type: 'utc' } } : { field: 't', type: 'quantitative', title: 'row' };
  const shade = (e: Episode, episode: string) => ({ t0: at(e.start), t1: at(e.end), episode });
  const shades = [...data.episodes.map((e) => shade(e, 'alert')), ...(data.labelled ?? []).map((e) => shade(e, 'labelled'))];
  // Named datasets: the rows are embedded once, not once per panel.
  const shading = {
    data: { name: 'shades' },
    mark: { type: 'rect', opacity: 0.25 },
    encoding: {
      x: { ...x, field: 't0' },
      x2: { field: 't1' },
      color: { field: 'episode', type: 'nominal', title: 'episode', scale: { domain: ['alert', 'labelled'], range: ['#f28e2b', '#4e79a7'] } },
    },
  };
  const zoom = { name: 'zoom', select: { type: 'interval', encodings: ['x'] }, bind: 'scales' };
  const panel = (name: string, unit: string, index: number) => ({
    width: CHART_WIDTH,
    height: 110,
    layer: [
      shading,
      {
        params: index === 0 ? [zoom] : [],
        data: { name },
        mark: { type: 'line', strokeWidth: 1, clip: true },
        encoding: {
          x,
          y: { field: 'v', type: 'quantitative', title: `${name} (${unit})`, scale: { zero: false } },
          strokeDash: { field: 'kind', type: 'nominal', title: 'series', scale: { domain: ['measured', 'forecast'], range: [[1, 0], [4, 2]] } },
          stroke: { field: 'kind', type: 'nominal', legend: null, scale: { domain: ['measured', 'forecast'], range: ['#333333', '#59a14f'] } },
        },
      },
    ],
  });
  const probabilityPanel = {
    width: CHART_WIDTH,
    height: 90,
    layer: [
      shading,
      {
        data: { name: 'probability' },
        mark: { type: 'line', strokeWidth: 1, color: '#e15759', clip: true },
        encoding: { x, y: { field: 'v', type: 'quantitative', title: 'P(interference)', scale: { domain: [0, 1] } } },
      },
      { data: { values: [{ p: data.alerting.pOn }] }, mark: { type: 'rule', strokeDash: [3, 3], color: '#999999' }, encoding: { y: { field: 'p', type: 'quantitative' } } },
    ],
  };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: data.title,
    background: 'white',
    datasets: { ...datasets, shades },
    vconcat: [...KPIS.map(([name, unit], j) => panel(name, unit, j)), probabilityPanel],
    resolve: { scale: { x: 'shared' } },
  };
}
