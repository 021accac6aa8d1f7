import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compile } from 'vega-lite';
import { heatmapSpec } from '../../src/charts/heatmap.js';
import { lineChartSpec } from '../../src/charts/line.js';
import { logTicks } from '../../src/charts/log-axis.js';
import { renderSvg, writeChart } from '../../src/charts/render.js';
import { scatterSpec } from '../../src/charts/scatter.js';
import { makeTempDir } from '../helpers/tmp.js';

/** The visible tick labels of each axis of a rendered chart (vega hides overlapping ones with opacity 0). */
function axisLabels(svg: string): string[][] {
  return [...svg.matchAll(/<g class="mark-text role-axis-label"[^>]*>(.*?)<\/g>/g)].map((axis) =>
    [...axis[1].matchAll(/<text([^>]*)>([^<]*)<\/text>/g)].filter((t) => !t[1].includes('opacity="0"')).map((t) => t[2]),
  );
}

const textOf = (svg: string) => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((t) => t[1]);
const steps = Array.from({ length: 21 }, (_, i) => 500 * i);

describe('log axis ticks', () => {
  it('are the powers of ten around data spanning several decades', () => {
    expect(logTicks([3e-4, 0.02, 0.5])).toEqual([1e-4, 1e-3, 1e-2, 1e-1, 1]);
  });

  it('are exact 1-2-5 steps around data inside one decade', () => {
    expect(logTicks([0.0025, 0.0027, 0.0031])).toEqual([0.002, 0.005]);
    expect(logTicks([0.0021, 0.0098])).toEqual([0.002, 0.005, 0.01]);
  });

  it('leave out zero, negative and missing values', () => {
    expect(logTicks([0, -1, NaN, 0.5, 20])).toEqual([0.1, 1, 10, 100]);
    expect(logTicks([0, NaN])).toEqual([]);
  });
});

describe('charts rendered through Vega-Lite', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  beforeAll(() => (tmp = makeTempDir()));
  afterAll(() => tmp.cleanup());

  it('a log-axis curve of values close together has no repeated tick label', async () => {
    // Values within 2.5e-3 .. 2.7e-3: the old charts labelled every tick 2.5e-3.
    const svg = await renderSvg(lineChartSpec({ title: 't', xLabel: 'step', yLabel: 'gap', logY: true, series: [{ name: 'a', points: steps.map((s, i): [number, number] => [s, 0.0025 + 1e-5 * i]) }] }));
    const [x, y] = axisLabels(svg);
    expect(y.length).toBeGreaterThanOrEqual(2);
    for (const labels of [x, y]) expect(new Set(labels).size).toBe(labels.length);
    expect(y).toEqual(['2e-3', '5e-3']);
  });

  it('labels zero as 0 on an axis through zero, never as a rounding residue like -6e-17', async () => {
    // 0.1 + 0.2 - 0.3 style sums: the old ticks printed -6e-17 for zero.
    const points = steps.map((s, i): [number, number] => [s, -0.3 + 0.1 * i * 0.3]);
    const svg = await renderSvg(lineChartSpec({ title: 't', xLabel: 'step', yLabel: 'excess', reference: { y: 0, label: 'budget' }, series: [{ name: 'a', points }] }));
    const labels = axisLabels(svg).flat();
    expect(labels.join(' ')).not.toMatch(/e-1\d/);
    expect(labels.some((l) => /^0(\.0+)?$/.test(l))).toBe(true);
    for (const axis of axisLabels(svg)) expect(new Set(axis).size).toBe(axis.length);
  });

  it('names every series and the reference line in the legend, not over the plot', async () => {
    const svg = await renderSvg(lineChartSpec({ title: 't', xLabel: 'step', yLabel: 'bits', reference: { y: 2.25, label: 'optimum' }, series: ['routed', 'naive'].map((name) => ({ name, points: steps.map((s): [number, number] => [s, 2 + s / 1e5]) })) }));
    const legend = [...svg.matchAll(/<g class="mark-text role-legend-label"[^>]*>(.*?)<\/g>/g)].flatMap((g) => textOf(g[1]));
    expect(legend).toEqual(['routed', 'naive', 'optimum']);
    // Nothing but the axes, the title and the legend is text: no label drawn over the curves.
    expect(textOf(svg).sort()).toEqual([...axisLabels(svg).flat(), 'step', 'bits', 't', ...legend].sort());
  });

  it('leaves out points a chart cannot draw instead of writing NaN', async () => {
    const spec = lineChartSpec({ title: 't', xLabel: 'x', yLabel: 'y', logY: true, series: [{ name: 'a', points: [[0, NaN], [1, 0], [2, 0.5], [3, 0.05]] }] });
    expect((spec as { data: { values: Array<{ y: number }> } }).data.values.map((v) => v.y)).toEqual([0.5, 0.05]);
    expect(await renderSvg(spec)).not.toMatch(/NaN/);
  });

  it('escapes text: titles, labels and series names with < > & stay text', async () => {
    const nasty = 'a < b & c > "d"';
    const svg = await renderSvg(scatterSpec({ title: nasty, xLabel: nasty, yLabel: 'y', points: [{ x: 1, y: 2, label: '<script>' }, { x: 2, y: 3, label: 'B&B' }] }));
    expect(svg).not.toContain('<script>');
    expect(svg).not.toContain('a < b');
    expect(textOf(svg)).toEqual(expect.arrayContaining(['a &lt; b &amp; c &gt; "d"', '&lt;script&gt;', 'B&amp;B']));
  });

  it('a heat map shows each row and column label once and every cell value', async () => {
    const labels = ['delay N=5', 'delay N=8', 'capacity N=5'];
    const svg = await renderSvg(heatmapSpec({ title: 'overlap', rows: labels, columns: labels, matrix: [[1, 0.5, 0.25], [0.5, 1, 0.125], [0.25, 0.125, 1]], domain: [0, 1], format: '.2f' }));
    const [x, y] = axisLabels(svg);
    expect(x).toEqual(labels);
    expect(y).toEqual(labels);
    expect(textOf(svg).filter((t) => /^\d\.\d\d$/.test(t)).sort()).toEqual(['0.13', '0.13', '0.25', '0.25', '0.50', '0.50', '1.00', '1.00', '1.00']);
  });

  it('writes the SVG beside a valid Vega-Lite spec, with its data inline, that compiles', async () => {
    const path = join(tmp.dir, 'confusion');
    await writeChart(path, heatmapSpec({ title: 'confusion', rows: ['no', 'yes'], columns: ['no', 'yes'], matrix: [[1000, 20], [30, 400]], format: 'd' }));
    const spec = JSON.parse(readFileSync(`${path}.vl.json`, 'utf8'));
    expect(spec.data.values).toContainEqual({ row: 'yes', column: 'no', value: 30 });
    expect(() => compile(spec)).not.toThrow();
    expect(readFileSync(`${path}.svg`, 'utf8')).toBe(await renderSvg(spec));
  });
});
