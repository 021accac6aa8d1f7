import { parse, View } from 'vega';
import { compile } from 'vega-lite';
import { reportFunctionsScript } from '../../../src/detection/report/browser-script.js';
import { CHART_WIDTH, reportDatasets, reportSeries, reportSpec, type ReportData } from '../../../src/detection/report/report-spec.js';

const data: ReportData = {
  title: 'cell.csv',
  model: 'm',
  windowLength: 2,
  alerting: { k: 1, pOn: 0.5, m: 1, pOff: 0.5, maxGapS: 10 },
  rows: [
    [-90, -10, 20],
    [-91, null, 5],
    [-92, -11, 4],
  ],
  timesMs: [0, 500, 1000],
  probability: [null, 0.9, 0.2],
  forecast: [null, [-91.5, -10.5, 6], [-92, -11, 4]],
  episodes: [{ start: 1, end: 1, peakProbability: 0.9, meanProbability: 0.9 }],
  labelled: [{ start: 1, end: 2 }],
};

test('the spec compiles and renders: KPIs, forecasts one row later, probability, both kinds of episode shaded, zoom on x', async () => {
  const spec = reportSpec(data) as { datasets: Record<string, Array<Record<string, unknown>>>; vconcat: Array<{ layer: Array<{ data: { name: string }; params?: unknown[] }> }> };
  expect(spec.vconcat).toHaveLength(4);
  expect(spec.vconcat.map((p) => p.layer[0].data.name)).toEqual(['shades', 'shades', 'shades', 'shades']);
  const shades = spec.datasets.shades;
  expect(shades).toEqual([
    { t0: 500, t1: 500, episode: 'alert' },
    { t0: 500, t1: 1000, episode: 'labelled' },
  ]);
  // The missing RSRQ of row 1 is not drawn; the forecast made at row 1 is drawn at row 2's time.
  expect(spec.datasets.RSRQ.filter((d) => d.kind === 'measured').map((d) => d.t)).toEqual([0, 1000]);
  expect(spec.datasets.SINR.filter((d) => d.kind === 'forecast')).toEqual([{ t: 1000, v: 6, kind: 'forecast' }]);
  expect(spec.vconcat[0].layer[1].params).toEqual([{ name: 'zoom', select: { type: 'interval', encodings: ['x'] }, bind: 'scales' }]);
  const view = new View(parse(compile(spec as never).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  expect(svg).toContain('P(interference)');
  expect(svg).toContain('SINR (dB)');
});

test('without times the x axis is the row; without labels nothing labelled is shaded', () => {
  const plain = reportSpec({ ...data, timesMs: undefined, labelled: undefined }) as { datasets: Record<string, unknown[]>; vconcat: Array<{ layer: Array<{ encoding?: { x?: { title?: string } } }> }> };
  expect(plain.datasets.shades).toEqual([{ t0: 1, t1: 1, episode: 'alert' }]);
  expect(plain.vconcat[3].layer[1].encoding?.x?.title).toBe('row');
});

test('the browser script defines every report function and parses as JavaScript', () => {
  const script = reportFunctionsScript();
  for (const name of ['labelRuns', 'labelledEpisodes', 'timestampMs', 'decimateM4', 'reportSeries', 'reportDatasets', 'reportSpec', 'renderReport', 'seriesFromRecords']) expect(script).toMatch(new RegExp(`function ${name}\\(`));
  // Evaluated in an empty scope: the functions must stand alone (no module imports left in them).
  const scope = new Function(`${script}; return { reportSpec, labelledEpisodes, seriesFromRecords };`)() as { reportSpec: typeof reportSpec; labelledEpisodes: (l: number[], t?: number[], gap?: number) => unknown; seriesFromRecords: (r: object[]) => { timesMs?: number[] } };
  expect(scope.reportSpec(data)).toEqual(reportSpec(data));
  expect(scope.labelledEpisodes([1, 0, 1], [0, 500, 1000], 2)).toEqual([{ start: 0, end: 2 }]);
  expect(scope.seriesFromRecords([{ Time: '2022-10-04 15:00:00.500', RSRP: '-90', RSRQ: '-10', SINR: '-' }]).timesMs).toEqual([Date.UTC(2022, 9, 4, 15, 0, 0, 500)]);
});

describe('a long series', () => {
  const n = 20_000;
  const long: ReportData = {
    ...data,
    rows: Array.from({ length: n }, (_, i) => [-90 + Math.sin(i / 30), -10 + Math.cos(i / 7), 20 + ((i * 31) % 17)]),
    timesMs: Array.from({ length: n }, (_, i) => 500 * i),
    probability: Array.from({ length: n }, (_, i) => (i === 0 ? null : (i % 400) / 400)),
    forecast: Array.from({ length: n }, (_, i) => (i === 0 ? null : [-90, -10, 20])),
    episodes: Array.from({ length: 50 }, (_, k) => ({ start: 400 * k + 300, end: 400 * k + 360, peakProbability: 0.9, meanProbability: 0.8 })),
    labelled: Array.from({ length: 50 }, (_, k) => ({ start: 400 * k + 290, end: 400 * k + 350 })),
  };

  test('is drawn with at most 4 points per pixel column per line; the episodes stay exact', () => {
    const spec = reportSpec(long) as { datasets: Record<string, Array<{ t: number; kind?: string }>> };
    for (const name of ['RSRP', 'RSRQ', 'SINR']) {
      for (const kind of ['measured', 'forecast']) {
        const points = spec.datasets[name].filter((p) => p.kind === kind);
        expect(points.length).toBeGreaterThan(CHART_WIDTH);
        expect(points.length).toBeLessThanOrEqual(4 * CHART_WIDTH);
      }
    }
    expect(spec.datasets.probability.length).toBeLessThanOrEqual(4 * CHART_WIDTH);
    expect(spec.datasets.shades).toHaveLength(100);
    expect(spec.datasets.shades[0]).toEqual({ t0: 500 * 300, t1: 500 * 360, episode: 'alert' });
  });

  test('zoomed in, every row of the range is drawn (and one on each side)', () => {
    const series = reportSeries(long);
    const sets = reportDatasets(series, [500 * 1000, 500 * 2999], CHART_WIDTH) as Record<string, Array<{ t: number; v: number; kind?: string }>>;
    const measured = sets.SINR.filter((p) => p.kind === 'measured');
    expect(measured.map((p) => p.t / 500)).toEqual(Array.from({ length: 2002 }, (_, k) => 999 + k));
    expect(measured.map((p) => p.v)).toEqual(long.rows.slice(999, 3001).map((r) => r[2]));
    // Every point, asked for: the whole series.
    expect(reportDatasets(series, null, Infinity).RSRP.filter((p) => (p as { kind: string }).kind === 'measured')).toHaveLength(n);
  });
});
