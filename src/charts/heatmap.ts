/**
 * Heat map of a matrix with each cell's value written in it (mask overlap, confusion
 * matrix), so it needs no colour legend.
 */
import { CHART_CONFIG, type ChartSpec } from './render.js';

export interface HeatmapOptions {
  title: string;
  /** Lines under the title (what the chart shows, when the title cannot say it all). */
  subtitle?: string[];
  rows: string[];
  columns: string[];
  matrix: number[][];
  rowTitle?: string;
  columnTitle?: string;
  /** Colour scale domain; the matrix's own range when absent. */
  domain?: [number, number];
  /** d3-format of the cell text, e.g. '.2f' or 'd'. */
  format: string;
  cellSize?: { width: number; height: number };
}

export function heatmapSpec(o: HeatmapOptions): ChartSpec {
  const values = o.matrix.flatMap((row, i) => row.map((value, j) => ({ row: o.rows[i], column: o.columns[j], value })));
  const all = values.map((v) => v.value);
  const [lo, hi] = o.domain ?? [Math.min(...all), Math.max(...all)];
  // Dark cells get white text.
  const darkFrom = lo + 0.6 * (hi - lo);
  const cell = o.cellSize ?? { width: 32, height: 32 };
  const x = { field: 'column', type: 'ordinal', sort: o.columns, title: o.columnTitle ?? null, axis: { labelAngle: -45 } };
  const y = { field: 'row', type: 'ordinal', sort: o.rows, title: o.rowTitle ?? null };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    ...CHART_CONFIG,
    title: o.subtitle ? { text: o.title, subtitle: o.subtitle } : o.title,
    width: cell.width * o.columns.length,
    height: cell.height * o.rows.length,
    data: { values },
    encoding: { x, y },
    layer: [
      { mark: { type: 'rect', stroke: 'white' }, encoding: { color: { field: 'value', type: 'quantitative', legend: null, scale: { domain: [lo, hi], scheme: 'blues' } } } },
      {
        mark: { type: 'text', fontSize: 9 },
        encoding: {
          text: { field: 'value', type: 'quantitative', format: o.format },
          color: { condition: { test: `datum.value > ${darkFrom}`, value: 'white' }, value: 'black' },
        },
      },
    ],
  } as ChartSpec;
}
