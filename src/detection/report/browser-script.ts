/**
 * What the report pages run in the browser, as text to inline: the Vega and Vega-Lite runtimes
 * (and csv-parse for the page) from node_modules, so a report opens without a network, and the
 * project's own report functions (their compiled code, via Function.prototype.toString: the
 * very functions the tests run in Node).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LABEL_MERGE_GAP_S, labelRuns, labelledEpisodes } from '../episodes.js';
import { timestampMs } from '../timestamps.js';
import { renderReport } from './render-report.js';
import { decimateM4 } from './decimate.js';
import { CHART_WIDTH, KPIS, reportDatasets, reportSeries, reportSpec } from './report-spec.js';
import { seriesFromRecords } from './series-records.js';

/** The installed package `name`'s folder, found as Node finds it: in node_modules of this file's folder or a parent. */
function packageDir(name: string): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dirname(dir) === dir) throw new Error(`package '${name}' is not installed (run npm ci)`);
  }
}

const RUNTIMES = {
  vega: ['vega', 'build/vega.min.js'],
  vegaLite: ['vega-lite', 'build/vega-lite.min.js'],
  csvParse: ['csv-parse', 'dist/iife/sync.js'],
} as const;

const cache = new Map<string, string>();

/** The browser build of a runtime (global `vega`, `vegaLite` or `csv_parse_sync`). */
export function runtimeScript(which: keyof typeof RUNTIMES): string {
  const [pkg, file] = RUNTIMES[which];
  let text = cache.get(which);
  if (text === undefined) {
    text = readFileSync(join(packageDir(pkg), file), 'utf8');
    cache.set(which, text);
  }
  return text;
}

/** The report functions as one script (each is self-contained but for the others here). */
export function reportFunctionsScript(): string {
  const functions = [labelRuns, labelledEpisodes, timestampMs, decimateM4, reportSeries, reportDatasets, reportSpec, renderReport, seriesFromRecords];
  // esbuild (tsx) wraps named inner functions in __name(fn, 'name') calls: an identity stands in for it.
  const constants = { LABEL_MERGE_GAP_S, CHART_WIDTH, KPIS };
  const prelude = ['var __name = (f) => f;', ...Object.entries(constants).map(([name, value]) => `const ${name} = ${JSON.stringify(value)};`)];
  return [...prelude, ...functions.map((f) => f.toString())].join('\n');
}

/** `text` safe inside a <script> element. */
export function inlineScript(text: string): string {
  return text.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

/** JSON safe inside a <script type="application/json"> element. */
export function inlineJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}
