/**
 * The detection report's chart as one Vega-Lite spec: RSRP, RSRQ and SINR measured (lines) with
 * the model's next-row forecasts (dashed), the interference probability with the rule's pOn,
 * alert episodes shaded orange and labelled episodes (when the file has labels) shaded blue
 * behind every panel; the time axis zooms (wheel) and pans (drag), all panels together.
 * Self-contained (no imports at run time): the page and the HTML report run it in the browser.
 */
import type { Episode } from '../episodes.js';

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

export function reportSpec(data: ReportData): object {
  const timed = data.timesMs !== undefined;
  const at = (i: number) => (timed ? (data.timesMs as number[])[i] : i);
  const x = timed ? { field: 't', type: 'temporal', title: 'time (UTC)', axis: { format: '%H:%M:%S' }, scale: { type: 'utc' } } : { field: 't', type: 'quantitative', title: 'row' };
  const kpis = [
    ['RSRP', 'dBm'],
    ['RSRQ', 'dB'],
    ['SINR', 'dB'],
  ];
  // One dataset per KPI (no filter over all rows in the browser).
  const series: Record<string, object[]> = { RSRP: [], RSRQ: [], SINR: [] };
  data.rows.forEach((row, i) => {
    kpis.forEach(([name], j) => {
      if (row[j] !== null) series[name].push({ t: at(i), v: row[j], kind: 'measured' });
      const f = data.forecast[i];
      // The forecast made at row i is of row i + 1: drawn where it applies.
      if (f && i + 1 < data.rows.length) series[name].push({ t: at(i + 1), v: f[j], kind: 'forecast' });
    });
  });
  const probability = data.probability.flatMap((p, i) => (p === null ? [] : [{ t: at(i), p }]));
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
    width: 900,
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
    width: 900,
    height: 90,
    layer: [
      shading,
      {
        data: { name: 'probability' },
        mark: { type: 'line', strokeWidth: 1, color: '#e15759', clip: true },
        encoding: { x, y: { field: 'p', type: 'quantitative', title: 'P(interference)', scale: { domain: [0, 1] } } },
      },
      { data: { values: [{ p: data.alerting.pOn }] }, mark: { type: 'rule', strokeDash: [3, 3], color: '#999999' }, encoding: { y: { field: 'p', type: 'quantitative' } } },
    ],
  };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: data.title,
    background: 'white',
    datasets: { ...series, shades, probability },
    vconcat: [...kpis.map(([name, unit], j) => panel(name, unit, j)), probabilityPanel],
    resolve: { scale: { x: 'shared' } },
  };
}
