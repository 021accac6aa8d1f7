/**
 * The self-contained HTML report of one detection (`radio-mtl kpi detect --out DIR`): the data,
 * the Vega and Vega-Lite runtimes and the report functions all inline, so the file opens
 * anywhere without a network.
 */
import { inlineJson, inlineScript, reportFunctionsScript, runtimeScript } from './browser-script.js';
import type { ReportData } from './report-spec.js';

/** Styles shared by the report and the page at /ui. */
export const REPORT_STYLE = `body{font-family:sans-serif;margin:1.5em;color:#222}
table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ccc;padding:2px 8px;text-align:right}
th{background:#f4f4f4}#summary{font-size:14px}`;

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function reportHtml(data: ReportData): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Interference episodes: ${escapeHtml(data.title)}</title>
<style>${REPORT_STYLE}</style>
<script>${inlineScript(runtimeScript('vega'))}</script>
<script>${inlineScript(runtimeScript('vegaLite'))}</script>
<script>${inlineScript(reportFunctionsScript())}</script>
</head>
<body>
<h1>Interference episodes: ${escapeHtml(data.title)}</h1>
<div id="report"></div>
<script id="report-data" type="application/json">${inlineJson(data)}</script>
<script>
renderReport(document.getElementById('report'), JSON.parse(document.getElementById('report-data').textContent), { vega, vegaLite });
</script>
</body>
</html>
`;
}
