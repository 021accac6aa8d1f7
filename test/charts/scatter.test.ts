import { renderSvg } from '../../src/charts/render.js';
import { scatterSpec } from '../../src/charts/scatter.js';
import { textOf } from './svg-text.js';

describe('scatter charts rendered through Vega-Lite', () => {
  it('escapes text: titles, labels and series names with < > & stay text', async () => {
    const nasty = 'a < b & c > "d"';
    const svg = await renderSvg(scatterSpec({ title: nasty, xLabel: nasty, yLabel: 'y', points: [{ x: 1, y: 2, label: '<script>' }, { x: 2, y: 3, label: 'B&B' }] }));
    expect(svg).not.toContain('<script>');
    expect(svg).not.toContain('a < b');
    expect(textOf(svg)).toEqual(expect.arrayContaining(['a &lt; b &amp; c &gt; "d"', '&lt;script&gt;', 'B&amp;B']));
  });
});
