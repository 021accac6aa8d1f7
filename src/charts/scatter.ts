/**
 * Scatter plot whose points are named in the legend (colour and shape; text beside close
 * points would overlap) with an optional dashed reference line.
 */
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
  const axis = { tickCount: 6 };
  const x = { field: 'x', type: 'quantitative', title: o.xLabel, axis, scale: { zero: false, padding: 24 } };
  const y = { field: 'y', type: 'quantitative', title: o.yLabel, axis, scale: { zero: false, padding: 24 } };
  const labels = o.points.map((p) => p.label);
  const named = { field: 'label', type: 'nominal', sort: labels, legend: { title: null } };
  const layers: object[] = [{ mark: { type: 'point', filled: true, size: 80, opacity: 1 }, encoding: { x, y, color: named, shape: named } }];
  if (o.reference) {
    layers.push({
      mark: { type: 'rule', color: 'gray' },
      encoding: { y: { datum: o.reference.y }, strokeDash: { datum: o.reference.label, scale: { range: [[4, 3]] }, legend: { title: null } } },
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
