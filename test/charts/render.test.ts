import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compile } from 'vega-lite';
import { heatmapSpec } from '../../src/charts/heatmap.js';
import { renderSvg, writeChart } from '../../src/charts/render.js';
import { makeTempDir } from '../helpers/tmp.js';

describe('writeChart', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  beforeAll(() => (tmp = makeTempDir()));
  afterAll(() => tmp.cleanup());

  it('writes the SVG beside a valid Vega-Lite spec, with its data inline, that compiles', async () => {
    const path = join(tmp.dir, 'confusion');
    await writeChart(path, heatmapSpec({ title: 'confusion', rows: ['no', 'yes'], columns: ['no', 'yes'], matrix: [[1000, 20], [30, 400]], format: 'd' }));
    const spec = JSON.parse(readFileSync(`${path}.vl.json`, 'utf8'));
    expect(spec.data.values).toContainEqual({ row: 'yes', column: 'no', value: 30 });
    expect(() => compile(spec)).not.toThrow();
    expect(readFileSync(`${path}.svg`, 'utf8')).toBe(await renderSvg(spec));
  });
});
