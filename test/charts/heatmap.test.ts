import { heatmapSpec } from '../../src/charts/heatmap.js';
import { renderSvg } from '../../src/charts/render.js';
import { axisLabels, textOf } from './svg-text.js';

describe('heat maps rendered through Vega-Lite', () => {
  it('a heat map shows each row and column label once and every cell value', async () => {
    const labels = ['delay N=5', 'delay N=8', 'capacity N=5'];
    const svg = await renderSvg(heatmapSpec({ title: 'overlap', rows: labels, columns: labels, matrix: [[1, 0.5, 0.25], [0.5, 1, 0.125], [0.25, 0.125, 1]], domain: [0, 1], format: '.2f' }));
    const [x, y] = axisLabels(svg);
    expect(x).toEqual(labels);
    expect(y).toEqual(labels);
    expect(textOf(svg).filter((t) => /^\d\.\d\d$/.test(t)).sort()).toEqual(['0.13', '0.13', '0.25', '0.25', '0.50', '0.50', '1.00', '1.00', '1.00']);
  });
});
