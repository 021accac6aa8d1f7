/**
 * GET /ui: a page to look at one cell, served with everything it runs (no CDN): drop a CSV and
 * see its interference episodes (src/server/ui-page.ts). Its scripts are same-origin files; the
 * page's Content-Security-Policy adds 'unsafe-eval' to scripts because Vega compiles its
 * expressions with the Function constructor.
 */
import { Router, type Response } from 'express';
import { LABEL_MERGE_GAP_S } from '../../detection/episodes.js';
import { reportFunctionsScript, runtimeScript } from '../../detection/report/browser-script.js';
import { REPORT_STYLE } from '../../detection/report/report-html.js';
import { runUploadPage } from '../ui-page.js';

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>radio-mtl: interference episodes of a cell</title>
<style>${REPORT_STYLE}
#drop{border:2px dashed #999;padding:1em;margin:1em 0}label{margin-right:1.2em}input[type=number]{width:4.5em}</style>
<script defer src="/ui/vega.js"></script>
<script defer src="/ui/vega-lite.js"></script>
<script defer src="/ui/csv-parse.js"></script>
<script defer src="/ui/report.js"></script>
</head>
<body>
<h1>Interference episodes of a cell</h1>
<div id="drop">
<p>Drop a CSV here or pick one: columns RSRP, RSRQ, SINR (missing: empty, -, nan), optionally Time
(ISO-8601, UTC without a zone, or epoch ms) and lab_inf (0/1: labelled episodes are shaded too;
runs less than ${LABEL_MERGE_GAP_S} s apart are one episode).</p>
<input type="file" id="csv" accept=".csv,text/csv">
<p><label><input type="checkbox" id="calibrate"> calibrate a profile from the first
<input type="number" id="calibrate-percent" value="50" min="1" max="100"> % of the rows</label></p>
<p>Alerting (empty: the server's defaults):
<label>k <input type="number" id="alerting-k" min="1"></label>
<label>pOn <input type="number" id="alerting-pOn" min="0" max="1" step="0.05"></label>
<label>m <input type="number" id="alerting-m" min="1"></label>
<label>pOff <input type="number" id="alerting-pOff" min="0" max="1" step="0.05"></label>
<label>gap limit s <input type="number" id="alerting-maxGapS" min="0"></label>
<label>API token <input type="password" id="token" autocomplete="off"></label></p>
<p><label><input type="checkbox" id="every-point"> draw every row (long files: slower; otherwise the
first, lowest, highest and last value per pixel column, and every row once at most 3,600 are in view)</label></p>
</div>
<p id="status">No file yet.</p>
<div id="report"></div>
</body>
</html>
`;

const CSP = "default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; object-src 'none'; base-uri 'self'; frame-ancestors 'self'";

const page = (res: Response, type: string, body: () => string) => {
  res.setHeader('Content-Security-Policy', CSP);
  res.setHeader('Cache-Control', 'no-cache');
  res.type(type).send(body());
};

export function uiRouter(): Router {
  const router = Router();
  router.get('/ui', (_req, res) => page(res, 'text/html', () => PAGE));
  router.get('/ui/vega.js', (_req, res) => page(res, 'application/javascript', () => runtimeScript('vega')));
  router.get('/ui/vega-lite.js', (_req, res) => page(res, 'application/javascript', () => runtimeScript('vegaLite')));
  router.get('/ui/csv-parse.js', (_req, res) => page(res, 'application/javascript', () => runtimeScript('csvParse')));
  router.get('/ui/report.js', (_req, res) => page(res, 'application/javascript', () => `${reportFunctionsScript()}\n${runUploadPage.toString()}\nrunUploadPage();\n`));
  return router;
}
