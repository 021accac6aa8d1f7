/**
 * Renders a Vega-Lite spec to SVG headless (no browser, no canvas) and writes it beside
 * the spec itself, `<name>.svg` and `<name>.vl.json`, so a reader can re-plot the data.
 */
import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { writeFileAtomic } from '../io/atomic-write.js';

export type ChartSpec = TopLevelSpec;

/** Settings every chart shares: white background, one font, a little padding. */
export const CHART_CONFIG = {
  background: 'white',
  padding: 8,
  config: { font: 'sans-serif', title: { fontSize: 13 }, axis: { labelFontSize: 11, titleFontSize: 11 }, legend: { labelFontSize: 11, titleFontSize: 11 } },
} as const;

export async function renderSvg(spec: ChartSpec): Promise<string> {
  const view = new View(parse(compile(spec).spec), { renderer: 'none' });
  try {
    return `${await view.toSVG()}\n`;
  } finally {
    view.finalize();
  }
}

/** Writes `<path>.svg` and `<path>.vl.json` (`path` without an extension). */
export async function writeChart(path: string, spec: ChartSpec): Promise<void> {
  const svg = await renderSvg(spec);
  writeFileAtomic(`${path}.vl.json`, `${JSON.stringify(spec, null, 2)}\n`);
  writeFileAtomic(`${path}.svg`, svg);
}
