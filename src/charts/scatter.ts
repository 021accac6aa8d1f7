/** Scatter plot with a label beside each point and an optional dashed reference line. */
import { CHART_CONFIG, type ChartSpec } from './render.js';

export interface LabelledPoint {
  x: number;
  y: number;
  label: string;
}

export interface ScatterOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  points: LabelledPoint[];
  /** Horizontal reference line (e.g. persistence), named in the legend. */
  reference?: { y: number; label: string };
}

export function scatterSpec(o: ScatterOptions): ChartSpec {
  const x = { field: 'x', type: 'quantitative', title: o.xLabel, scale: { zero: false, padding: 24 } };
  const y = { field: 'y', type: 'quantitative', title: o.yLabel, scale: { zero: false, padding: 24 } };
  const layers: object[] = [
    { mark: { type: 'point', filled: true, size: 60, color: '#1f77b4' }, encoding: { x, y } },
    { mark: { type: 'text', align: 'left', dx: 7, dy: -7, fontSize: 11 }, encoding: { x, y, text: { field: 'label', type: 'nominal' } } },
  ];
  if (o.reference) {
    layers.push({
      mark: { type: 'rule', strokeDash: [4, 3] },
      encoding: { y: { datum: o.reference.y }, color: { datum: o.reference.label, scale: { range: ['gray'] }, legend: { title: null } } },
    });
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    ...CHART_CONFIG,
    title: o.title,
    width: 420,
    height: 280,
    data: { values: o.points.map((p) => ({ x: p.x, y: p.y, label: p.label })) },
    layer: layers,
  } as ChartSpec;
}
