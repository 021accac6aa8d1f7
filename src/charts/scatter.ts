/**
 * Scatter plot whose points are named in the legend (colour and shape; text beside close
 * points would overlap) with an optional dashed reference line.
 */
import { CHART_CONFIG, type ChartSpec } from './render.js';

export interface LabelledPoint {
  x: number;
  y: number;
  label: string;
  /** The label's colour and marker, fixed by the caller so a series looks the same in every chart (both or neither on every point). */
  style?: { color: string; shape: string };
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
  // Without fixed styles, vega-lite hands out colours and markers in order of the labels, so a
  // series changes look between charts that show other series.
  const fixed = o.points.every((p) => p.style);
  const scale = (key: 'color' | 'shape') => (fixed ? { scale: { domain: labels, range: o.points.map((p) => p.style?.[key]) } } : {});
  const layers: object[] = [{ mark: { type: 'point', filled: true, size: 80, opacity: 1 }, encoding: { x, y, color: { ...named, ...scale('color') }, shape: { ...named, ...scale('shape') } } }];
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
