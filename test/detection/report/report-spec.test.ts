import { parse, View } from 'vega';
import { compile } from 'vega-lite';
import { reportFunctionsScript } from '../../../src/detection/report/browser-script.js';
import { reportSpec, type ReportData } from '../../../src/detection/report/report-spec.js';

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
  for (const name of ['labelRuns', 'labelledEpisodes', 'timestampMs', 'reportSpec', 'renderReport', 'seriesFromRecords']) expect(script).toMatch(new RegExp(`function ${name}\\(`));
  // Evaluated in an empty scope: the functions must stand alone (no module imports left in them).
  const scope = new Function(`${script}; return { reportSpec, labelledEpisodes, seriesFromRecords };`)() as { reportSpec: typeof reportSpec; labelledEpisodes: (l: number[], t?: number[], gap?: number) => unknown; seriesFromRecords: (r: object[]) => { timesMs?: number[] } };
  expect(scope.reportSpec(data)).toEqual(reportSpec(data));
  expect(scope.labelledEpisodes([1, 0, 1], [0, 500, 1000], 2)).toEqual([{ start: 0, end: 2 }]);
  expect(scope.seriesFromRecords([{ Time: '2022-10-04 15:00:00.500', RSRP: '-90', RSRQ: '-10', SINR: '-' }]).timesMs).toEqual([Date.UTC(2022, 9, 4, 15, 0, 0, 500)]);
});
