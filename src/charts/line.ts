/** Line chart: curves with a legend, optional log y axis and a dashed reference line. */
import { logTicks } from './log-axis.js';
import { CHART_CONFIG, type ChartSpec } from './render.js';

export interface LineSeries {
  name: string;
  points: Array<[number, number]>;
  color?: string;
}

export interface LineChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  series: LineSeries[];
  logY?: boolean;
  /** Horizontal reference line (e.g. the exact optimum), shown in the legend. */
  reference?: { y: number; label: string };
}

const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b'];

export function lineChartSpec(o: LineChartOptions): ChartSpec {
  // Points a chart cannot show (missing values; zero or less on a log axis) are left out.
  const shown = (y: number) => Number.isFinite(y) && (!o.logY || y > 0);
  const values = o.series.flatMap((s) => s.points.filter(([, y]) => shown(y)).map(([x, y]) => ({ series: s.name, x, y })));
  const names = o.series.map((s) => s.name);
  const colors = o.series.map((s, i) => s.color ?? PALETTE[i % PALETTE.length]);
  if (o.reference) {
    names.push(o.reference.label);
    colors.push('#000000');
  }
  const ticks = o.logY ? logTicks([...values.map((v) => v.y), ...(o.reference ? [o.reference.y] : [])]) : [];
  const yScale = o.logY ? { type: 'log' as const, domain: [ticks[0], ticks[ticks.length - 1]] } : { zero: false };
  const yAxis = o.logY ? { values: ticks, format: '.0e' } : {};
  const color = { scale: { domain: names, range: colors }, legend: { title: null } };
  const layers: object[] = [
    {
      mark: { type: 'line', strokeWidth: 1.6 },
      encoding: {
        x: { field: 'x', type: 'quantitative', title: o.xLabel, axis: { tickCount: 6 } },
        y: { field: 'y', type: 'quantitative', title: o.yLabel, scale: yScale, axis: yAxis },
        color: { field: 'series', type: 'nominal', ...color },
      },
    },
  ];
  if (o.reference) {
    layers.push({ mark: { type: 'rule', strokeDash: [5, 4] }, encoding: { y: { datum: o.reference.y }, color: { datum: o.reference.label, ...color } } });
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    ...CHART_CONFIG,
    title: o.title,
    width: 420,
    height: 260,
    data: { values },
    layer: layers,
  } as ChartSpec;
}
