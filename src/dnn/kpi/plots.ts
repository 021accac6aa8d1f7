/**
 * The KPI report's charts (Fig. 8 analogues, confusion matrices, SINR prediction
 * curves), each written as SVG plus its Vega-Lite spec. They need only what results.json
 * keeps (the summaries and each run's confusion matrix), plus the saved test predictions
 * for the prediction curves.
 */
import { join } from 'node:path';
import { heatmapSpec } from '../../charts/heatmap.js';
import { lineChartSpec } from '../../charts/line.js';
import { writeChart } from '../../charts/render.js';
import { scatterSpec } from '../../charts/scatter.js';
import type { KpiArch } from './registry.js';
import type { ArchSummary, TestPredictions } from './report.js';

/** What the charts need of one (architecture, seed) run. */
export interface ChartRun {
  arch: KpiArch;
  seed: number;
  bestValLoss: number;
  confusion: [[number, number], [number, number]];
  /** How the run's raw values became inputs, when recorded (src/measurements/inputs.ts). */
  inputs?: string;
  predictions?: TestPredictions;
}

const CLASSES = ['no interference', 'interference'];

/** One colour and marker per architecture, the same in every figure and results folder. */
const ARCH_STYLE: Record<KpiArch, { color: string; shape: string }> = {
  stl: { color: '#4c78a8', shape: 'circle' },
  'hard-sharing': { color: '#f58518', shape: 'square' },
  mmoe: { color: '#e45756', shape: 'triangle-up' },
  'cross-stitch': { color: '#72b7b2', shape: 'diamond' },
  ple: { color: '#54a24b', shape: 'cross' },
  attention: { color: '#b279a2', shape: 'triangle-down' },
};

export async function writeKpiCharts(outDir: string, summaries: ArchSummary[], runs: ChartRun[]): Promise<void> {
  const p0 = summaries[0];
  if (!p0) return;
  const regRef = { y: (p0.persistenceMse.rsrp + p0.persistenceMse.rsrq + p0.persistenceMse.sinr) / 3, label: 'persistence' };
  const regLoss = 'mean KPI MSE (scaled)';
  await writeChart(join(outDir, 'fig8a-macs-vs-regloss'), scatterSpec({ title: '(a) MACs vs regression loss (test)', xLabel: 'MACs per sample (millions)', yLabel: regLoss, points: summaries.map((s) => ({ x: s.macs / 1e6, y: s.regLoss.mean, label: s.label, style: ARCH_STYLE[s.arch] })), reference: regRef }));
  await writeChart(join(outDir, 'fig8b-latency-vs-regloss'), scatterSpec({ title: '(b) batched latency vs regression loss', xLabel: 'latency (ms/sample, batch 640)', yLabel: regLoss, points: summaries.map((s) => ({ x: s.latencyBatchedMs.mean, y: s.regLoss.mean, label: s.label, style: ARCH_STYLE[s.arch] })), reference: regRef }));
  await writeChart(join(outDir, 'fig8c-accuracy-vs-size'), scatterSpec({ title: '(c) accuracy vs model size', xLabel: 'model size (MB)', yLabel: 'test accuracy (%)', points: summaries.map((s) => ({ x: s.sizeMB, y: 100 * s.accuracy.mean, label: s.label, style: ARCH_STYLE[s.arch] })), reference: { y: 100 * p0.majorityAccuracy, label: 'majority class' } }));
  for (const s of summaries) {
    // The seed with the best validation loss stands for its architecture.
    const best = runs.filter((r) => r.arch === s.arch).sort((a, b) => a.bestValLoss - b.bestValLoss)[0];
    if (!best) continue;
    await writeChart(join(outDir, `confusion-${s.arch}`), heatmapSpec({
      title: `${s.label} seed ${best.seed}${best.inputs ? `, inputs ${best.inputs}` : ''}: test confusion matrix`,
      // The served model is trained apart (radio-mtl train kpi, the recipe): its matrix differs.
      subtitle: ["this report's run with the lowest validation loss; not the served models/kpi-ple", "(radio-mtl evaluate kpi --model models/kpi-ple prints that one's)"],
      rows: CLASSES, columns: CLASSES, rowTitle: 'true', columnTitle: 'predicted',
      matrix: best.confusion, format: 'd', cellSize: { width: 110, height: 70 },
    }));
    const p = best.predictions;
    if (!p) continue;
    const index = (values: number[]) => values.map((v, i): [number, number] => [i, v]);
    await writeChart(join(outDir, `pred-${s.arch}`), lineChartSpec({
      title: `${s.label} seed ${best.seed}: SINR, ${p.file} test windows`, xLabel: 'test window', yLabel: 'SINR (dB)',
      series: [
        { name: 'truth', points: index(p.sinrTrue), color: 'black' },
        { name: 'prediction', points: index(p.sinrPred), color: '#d62728' },
        { name: 'persistence', points: index(p.sinrLast), color: '#999999' },
      ],
    }));
  }
}
