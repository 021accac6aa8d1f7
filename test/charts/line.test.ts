import { lineChartSpec } from '../../src/charts/line.js';
import { renderSvg } from '../../src/charts/render.js';
import { axisLabels, textOf } from './svg-text.js';

const steps = Array.from({ length: 21 }, (_, i) => 500 * i);

describe('line charts rendered through Vega-Lite', () => {
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
});
