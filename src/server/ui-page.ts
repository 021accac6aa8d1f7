/**
 * The browser side of the page at GET /ui: drop (or pick) a cell's CSV; the page parses it
 * (csv-parse's browser build, seriesFromRecords), optionally makes a profile from the file's
 * first part with POST /v1/kpi/calibrate, sends the series to POST /v1/kpi/detect and draws the
 * same report as `radio-mtl kpi detect --out` (renderReport). Runs in the browser only:
 * routes/ui.ts serves this function's text; the globals it uses come with the page's scripts.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- browser globals of the page's own scripts */
export function runUploadPage(): void {
  const g = globalThis as any;
  const $ = (id: string) => document.getElementById(id) as any;
  const status = (text: string) => {
    $('status').textContent = text;
  };
  const post = async (path: string, body: object) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if ($('token').value) headers.authorization = `Bearer ${$('token').value}`;
    const res = await fetch(path, { method: 'POST', headers, body: JSON.stringify(body) });
    const answer = await res.json();
    if (!res.ok) throw new Error(`${path}: ${answer.detail ?? answer.error ?? res.status}`);
    return answer;
  };
  const alerting = () => {
    const rule: Record<string, number> = {};
    for (const key of ['k', 'pOn', 'm', 'pOff', 'maxGapS']) if ($(`alerting-${key}`).value !== '') rule[key] = Number($(`alerting-${key}`).value);
    return rule;
  };
  // Performance measures radio-mtl:<part> time each part (the page's bench reads them).
  const timed = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    const start = performance.now();
    const result = await work();
    performance.measure(`radio-mtl:${name}`, { start });
    return result;
  };
  const run = async (file: File) => {
    performance.clearMeasures();
    const started = performance.now();
    document.body.dataset.state = 'working';
    try {
      status(`reading ${file.name} ...`);
      const series = await timed('parse', async () => g.seriesFromRecords(g.csv_parse_sync.parse(await file.text(), { columns: true, skip_empty_lines: true, trim: true })));
      let profile;
      if ($('calibrate').checked) {
        const part = Math.max(1, Math.floor((series.rows.length * Number($('calibrate-percent').value)) / 100));
        status(`calibrating on the first ${part} rows ...`);
        profile = (await timed('calibrate', () => post('/v1/kpi/calibrate', { rows: series.rows.slice(0, part) }))).profile;
      }
      status(`detecting in ${series.rows.length} rows ...`);
      const body = { rows: series.rows, ...(series.timesMs && { timestamps: series.timesMs }), ...(profile && { profile }), alerting: alerting() };
      const out = await timed('detect', () => post('/v1/kpi/detect', body));
      const labelled = series.labels ? g.labelledEpisodes(series.labels, series.timesMs, g.LABEL_MERGE_GAP_S) : undefined;
      const data = { title: file.name, model: out.model, windowLength: out.windowLength, alerting: out.alerting, rows: series.rows, timesMs: series.timesMs, probability: out.interferenceProbability, forecast: out.forecast, episodes: out.episodes, labelled };
      await timed('render', () => g.renderReport($('report'), data, { vega: g.vega, vegaLite: g.vegaLite }, { everyPoint: $('every-point').checked }));
      performance.measure('radio-mtl:total', { start: started });
      status(`${file.name}: ${out.episodes.length} alert episode(s)${profile ? ', with a profile from the first part' : ''} (${Math.round(performance.now() - started)} ms)`);
      document.body.dataset.state = 'done';
    } catch (err) {
      status(`error: ${(err as Error).message}`);
      document.body.dataset.state = 'error';
    }
  };
  $('csv').addEventListener('change', () => {
    if ($('csv').files[0]) void run($('csv').files[0]);
  });
  const drop = $('drop');
  drop.addEventListener('dragover', (e: DragEvent) => e.preventDefault());
  drop.addEventListener('drop', (e: DragEvent) => {
    e.preventDefault();
    const file = e.dataTransfer?.files[0];
    if (file) void run(file);
  });
}
