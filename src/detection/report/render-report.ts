/**
 * Draws a detection report into a page element: a summary line, the chart (report-spec.ts) and
 * the episode table (`#episodes`, one row per alert episode with `data-start`/`data-end`).
 * Runs in the browser only, in the HTML report and on the page at /ui (browser-script.ts puts
 * it there as text); `vega` and `vegaLite` are the runtimes those pages embed.
 */
import type { ReportData } from './report-spec.js';
import { reportSpec } from './report-spec.js';

interface VegaRuntimes {
  vega: { View: new (runtime: unknown, opts: object) => { runAsync(): Promise<unknown> }; parse(spec: unknown): unknown };
  vegaLite: { compile(spec: object): { spec: unknown } };
}

export async function renderReport(root: HTMLElement, data: ReportData, runtimes: VegaRuntimes): Promise<void> {
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
  await new vega.View(vega.parse(vegaLite.compile(reportSpec(data)).spec), { renderer: 'canvas', container: chart, hover: true }).runAsync();
  root.dataset.rendered = 'true';
}
