import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compile } from 'vega-lite';
import { writeKpiCharts, type ChartRun } from '../../../src/dnn/kpi/plots.js';
import type { ArchSummary } from '../../../src/dnn/kpi/report.js';
import { makeTempDir } from '../../helpers/tmp.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const RESULTS = join(ROOT, 'results', 'kpi');

interface Results {
  summary: ArchSummary[];
  runs: Array<{ arch: ChartRun['arch']; seed: number; training: { bestValLoss: number }; test: { metrics: { confusion: ChartRun['confusion'] } } }>;
}

describe('KPI report charts', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  beforeAll(() => (tmp = makeTempDir()));
  afterAll(() => tmp.cleanup());

  const results = JSON.parse(readFileSync(join(RESULTS, 'results.json'), 'utf8')) as Results;
  const runs = results.runs.map((r) => ({ arch: r.arch, seed: r.seed, bestValLoss: r.training.bestValLoss, confusion: r.test.metrics.confusion }));

  it('are drawn from results.json: the committed charts are up to date, each beside a spec that compiles', async () => {
    await writeKpiCharts(tmp.dir, results.summary, runs);
    const written = readdirSync(tmp.dir).sort();
    expect(written).toEqual(expect.arrayContaining(['fig8a-macs-vs-regloss.svg', 'fig8a-macs-vs-regloss.vl.json', ...results.summary.map((s) => `confusion-${s.arch}.svg`)]));
    for (const name of written) {
      expect(readFileSync(join(tmp.dir, name), 'utf8')).toBe(readFileSync(join(RESULTS, name), 'utf8'));
      if (name.endsWith('.vl.json')) expect(() => compile(JSON.parse(readFileSync(join(tmp.dir, name), 'utf8')))).not.toThrow();
    }
  });

  it('show the confusion matrix of the seed with the best validation loss', async () => {
    const spec = JSON.parse(readFileSync(join(tmp.dir, 'confusion-ple.vl.json'), 'utf8'));
    const best = runs.filter((r) => r.arch === 'ple').sort((a, b) => a.bestValLoss - b.bestValLoss)[0];
    expect(spec.title.text).toBe(`PLE seed ${best.seed}: test confusion matrix`);
    // The served model (models/kpi-ple) is another training run: the chart says so.
    expect(spec.title.subtitle).toEqual([
      "this report's run with the lowest validation loss; not the served models/kpi-ple",
      '(radio-mtl evaluate kpi --model models/kpi-ple prints that one\'s)',
    ]);
    expect(spec.data.values.map((v: { value: number }) => v.value)).toEqual(best.confusion.flat());
  });

  it("name the run's inputs when results.json recorded them", async () => {
    const dir = join(tmp.dir, 'with-inputs');
    await writeKpiCharts(dir, results.summary.filter((s) => s.arch === 'ple'), runs.filter((r) => r.arch === 'ple').map((r) => ({ ...r, inputs: 'file-minmax' })));
    const spec = JSON.parse(readFileSync(join(dir, 'confusion-ple.vl.json'), 'utf8'));
    expect(spec.title.text).toMatch(/^PLE seed \d, inputs file-minmax: test confusion matrix$/);
  });

  it('draw the SINR prediction curves when the run saved its test predictions', async () => {
    const dir = join(tmp.dir, 'with-predictions');
    const predictions = { file: 'f.csv', sinrTrue: [10, 11, 12], sinrPred: [10.5, 11, 11.5], sinrLast: [9, 10, 11], probInterference: [0.1, 0.2, 0.9], label: [0, 0, 1] };
    await writeKpiCharts(dir, results.summary.filter((s) => s.arch === 'ple'), runs.filter((r) => r.arch === 'ple').map((r) => ({ ...r, predictions })));
    const spec = JSON.parse(readFileSync(join(dir, 'pred-ple.vl.json'), 'utf8'));
    expect(spec.data.values.filter((v: { series: string }) => v.series === 'prediction').map((v: { y: number }) => v.y)).toEqual([10.5, 11, 11.5]);
  });
});

describe('the Fig. 8 analogues of every KPI results folder', () => {
  /** Each label's [colour, shape] as the spec fixes them. */
  const styles = (spec: { layer: Array<{ encoding: Record<string, { scale?: { domain?: string[]; range?: string[] } }> }> }): Record<string, [string, string]> => {
    const { color, shape } = spec.layer[0].encoding;
    const domain = color.scale?.domain ?? [];
    expect(shape.scale?.domain).toEqual(domain);
    return Object.fromEntries(domain.map((label, i) => [label, [color.scale?.range?.[i] ?? '', shape.scale?.range?.[i] ?? '']]));
  };

  it('give each architecture one colour and one marker, the same in every figure and folder', () => {
    const folders = [RESULTS, ...readdirSync(RESULTS, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => join(RESULTS, e.name))];
    const seen: Record<string, [string, string]> = {};
    let charts = 0;
    for (const folder of folders) {
      for (const fig of ['fig8a-macs-vs-regloss', 'fig8b-latency-vs-regloss', 'fig8c-accuracy-vs-size']) {
        let text: string;
        try {
          text = readFileSync(join(folder, `${fig}.vl.json`), 'utf8');
        } catch {
          continue;
        }
        charts++;
        for (const [label, style] of Object.entries(styles(JSON.parse(text)))) {
          expect({ label, style }).toEqual({ label, style: (seen[label] ??= style) });
        }
      }
    }
    expect(charts).toBeGreaterThanOrEqual(9);
    // Different architectures look different.
    expect(new Set(Object.values(seen).map((s) => s.join())).size).toBe(Object.keys(seen).length);
  });
});
