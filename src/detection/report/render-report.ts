/**
 * Draws a detection report into a page element: a summary line, the chart (report-spec.ts) and
 * the episode table (`#episodes`, one row per alert episode with `data-start`/`data-end`).
 * Runs in the browser only, in the HTML report and on the page at /ui (browser-script.ts puts
 * it there as text); `vega` and `vegaLite` are the runtimes those pages embed.
 */
import type { ReportData } from './report-spec.js';
import { CHART_WIDTH, reportDatasets, reportSeries, reportSpec } from './report-spec.js';

interface VegaView {
  runAsync(): Promise<unknown>;
  data(name: string, values: object[]): VegaView;
  addSignalListener(name: string, handler: (name: string, value: unknown) => void): VegaView;
}

interface VegaRuntimes {
  vega: { View: new (runtime: unknown, opts: object) => VegaView; parse(spec: unknown): unknown };
  vegaLite: { compile(spec: object): { spec: unknown } };
}

export interface RenderOptions {
  /** Draw every row of long series instead of their decimation per pixel column (slower). */
  everyPoint?: boolean;
}

/**
 * Long series are drawn decimated (report-spec.ts); on zoom the visible range is decimated anew
 * from every row, so zooming in shows each row. Marks on `root.dataset`: `points` (points drawn
 * at first), `rendered`. Performance measures `radio-mtl:chart-data`, `radio-mtl:chart-compile`,
 * `radio-mtl:chart-draw` time the parts (the page's bench reads them).
 */
export async function renderReport(root: HTMLElement, data: ReportData, runtimes: VegaRuntimes, options: RenderOptions = {}): Promise<void> {
  const el = (tag: string, text?: string) => {
    const e = document.createElement(tag);
    if (text !== undefined) e.textContent = text;
    return e;
  };
  const r = data.alerting;
  const answered = data.probability.filter((p) => p !== null).length;
  const summary = el(
    'p',
    `${data.rows.length} rows, ${answered} windows answered by model ${data.model} (window ${data.windowLength}); ` +
      `rule: raise after ${r.k} windows >= ${r.pOn}, clear after ${r.m} windows < ${r.pOff}, gap limit ${r.maxGapS} s; ` +
      `${data.episodes.length} alert episode(s)` +
      (data.labelled ? `, ${data.labelled.length} labelled episode(s)` : ''),
  );
  summary.id = 'summary';
  const chart = el('div');
  chart.id = 'chart';
  const table = el('table');
  table.id = 'episodes';
  const head = el('tr');
  for (const h of ['#', 'first row', 'last row', 'start (UTC)', 'end (UTC)', 'duration (s)', 'peak P', 'mean P']) head.append(el('th', h));
  table.append(head);
  data.episodes.forEach((e, i) => {
    const tr = el('tr');
    tr.dataset.start = String(e.start);
    tr.dataset.end = String(e.end);
    const cells = [String(i + 1), String(e.start), String(e.end), e.startTime ?? '', e.endTime ?? '', e.durationS?.toFixed(1) ?? '', e.peakProbability.toFixed(3), e.meanProbability.toFixed(3)];
    for (const c of cells) tr.append(el('td', c));
    table.append(tr);
  });
  root.replaceChildren(summary, chart, el('h2', 'Alert episodes'), table);
  const { vega, vegaLite } = runtimes;
  const time = (name: string, start: number) => performance.measure(`radio-mtl:${name}`, { start });
  let started = performance.now();
  const columns = options.everyPoint ? Infinity : CHART_WIDTH;
  const series = reportSeries(data);
  const datasets = reportDatasets(series, null, columns);
  const drawn = Object.values(datasets).reduce((n, d) => n + d.length, 0);
  const total = Object.values(series.lines).reduce((n, l) => n + l.length, 0);
  if (drawn < total) summary.append(`. Chart: ${drawn} of ${total} points drawn (per pixel column the first, lowest, highest and last; zoom in to at most 3,600 rows for every row; episodes and the table are exact).`);
  time('chart-data', started);
  started = performance.now();
  const view = new vega.View(vega.parse(vegaLite.compile(reportSpec(data, datasets)).spec), { renderer: 'canvas', container: chart, hover: true });
  time('chart-compile', started);
  started = performance.now();
  await view.runAsync();
  time('chart-draw', started);
  let pending: ReturnType<typeof setTimeout> | undefined;
  view.addSignalListener('zoom', (_name, value) => {
    clearTimeout(pending);
    pending = setTimeout(() => {
      const t = (value as { t?: unknown[] } | null)?.t;
      // The visible range and as much on each side, at the same points per pixel: a pan shows data at once.
      const [lo, hi] = t ? [Number(t[0]), Number(t[1])] : series.extent;
      const range: [number, number] | null = t ? [lo - (hi - lo), hi + (hi - lo)] : null;
      const zoomed = reportDatasets(series, range, t ? 3 * columns : columns);
      for (const [name, values] of Object.entries(zoomed)) view.data(name, values);
      root.dataset.points = String(Object.values(zoomed).reduce((n, d) => n + d.length, 0));
      void view.runAsync();
    }, 100);
  });
  root.dataset.points = String(drawn);
  root.dataset.rendered = 'true';
}
