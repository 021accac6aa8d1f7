/**
 * `node --import tsx scripts/docs/redraw-charts.ts [DIR...]`: redraws the report charts of each
 * results folder from the data the report committed beside them, without the training
 * runs: a KPI folder's results.json (Fig. 8 analogues, confusion matrices) or an
 * allocation folder's tables.json (mask overlap). The test curves and SINR prediction
 * charts need the runs' curve.json and test predictions, so only the reproduce scripts
 * draw those. Default folders: results/allocation, results/kpi and its sub-folders.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeMaskChart } from '../../src/dnn/allocation/plots.js';
import { writeKpiCharts, type ChartRun } from '../../src/dnn/kpi/plots.js';
import type { ArchSummary } from '../../src/dnn/kpi/report.js';
import { positionals, readScriptOptions } from '../shared/lib.js';

readScriptOptions({
  name: 'scripts/docs/redraw-charts.ts',
  summary: "Redraws the report charts of each results folder DIR from the data committed beside them (a KPI folder's results.json,\nan allocation folder's tables.json), in place. Without DIR: results/allocation, results/kpi and its sub-folders.",
  options: {},
  positionals: '[DIR...]',
});
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

interface KpiResults {
  summary: ArchSummary[];
  runs: Array<{ arch: ChartRun['arch']; seed: number; inputs?: string; training: { bestValLoss: number }; test: { metrics: { confusion: ChartRun['confusion'] } } }>;
}

function defaultDirs(): string[] {
  const kpi = join(ROOT, 'results', 'kpi');
  const subDirs = readdirSync(kpi, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => join(kpi, e.name));
  return [join(ROOT, 'results', 'allocation'), kpi, ...subDirs];
}

async function redraw(dir: string): Promise<void> {
  if (existsSync(join(dir, 'tables.json'))) {
    const { maskJaccard } = JSON.parse(readFileSync(join(dir, 'tables.json'), 'utf8'));
    if (maskJaccard) await writeMaskChart(dir, maskJaccard.labels, maskJaccard.matrix);
  }
  if (existsSync(join(dir, 'results.json'))) {
    const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as KpiResults;
    const runs = results.runs.map((r) => ({ arch: r.arch, seed: r.seed, inputs: r.inputs, bestValLoss: r.training.bestValLoss, confusion: r.test.metrics.confusion }));
    await writeKpiCharts(dir, results.summary, runs);
  }
  process.stderr.write(`redraw-charts: ${dir}\n`);
}

const dirs = positionals();
for (const dir of dirs.length ? dirs.map((d) => resolve(d)) : defaultDirs()) await redraw(dir);
