/**
 * `npm run kpi:neighbours`: a k-nearest-neighbour baseline for interference
 * detection on exactly the windows the LSTMs see (scaled RSRP/RSRQ/SINR), and
 * where its votes disagree with the labels, per CSV and split. It shows which test
 * windows look, to their nearest training windows, like the other class.
 * Writes DIR/neighbours.{md,json} (`--out results/kpi` updates the committed ones).
 * Options: --data DIR (data/fcciq) --window W (35) --out DIR (scratch/kpi-neighbours).
 */
import { join, basename } from 'node:path';
import { loadKpiDataset, DEFAULT_WINDOW, type KpiSplit } from '../../src/datasets/kpi/fcciq.js';
import { knnInterferenceVotes } from './kpi-knn-baseline.js';
import { classificationMetrics, errorsByFile } from '../../src/dnn/kpi/metrics.js';
import { writeFileAtomic } from '../../src/io/atomic-write.js';
import { argv, existingDir, intOpt, outDir, readScriptOptions, DEFAULT_FCCIQ_DIR } from '../shared/lib.js';

readScriptOptions({
  name: 'kpi:neighbours',
  summary: 'A k-nearest-neighbour baseline for interference detection on the windows the LSTMs see, and where its votes disagree with the labels; writes neighbours.md and .json.',
  options: {
    data: { value: 'DIR', help: 'FccIQ CSV folder (default data/fcciq)' },
    window: { value: 'W', help: `window length in steps (default ${DEFAULT_WINDOW})` },
    out: { value: 'DIR', help: 'where to write (default scratch/kpi-neighbours; results/kpi updates the committed results)' },
  },
});
const DATA = existingDir('data', DEFAULT_FCCIQ_DIR);
const WINDOW = intOpt('window', DEFAULT_WINDOW, 2);
const OUT = outDir();
const KS = [1, 5, 15, 45];
const STEPS = [1, 5, WINDOW];

const ds = loadKpiDataset(DATA, WINDOW);
const pct = (x: number) => (100 * x).toFixed(2);

interface Row { split: KpiSplit; steps: number; k: number; accuracy: number; balancedAccuracy: number; errors: number }
const rows: Row[] = [];
for (const split of ['val', 'test'] as const) {
  const ws = ds[split];
  for (const steps of STEPS) for (const k of KS) {
    const m = classificationMetrics(knnInterferenceVotes(ds.train, ws, k, steps), ws.label);
    rows.push({ split, steps, k, accuracy: m.accuracy, balancedAccuracy: m.balancedAccuracy, errors: m.confusion[0][1] + m.confusion[1][0] });
    process.stderr.write(`kpi:neighbours: ${split} steps ${steps} k ${k}: accuracy ${pct(m.accuracy)}%\n`);
  }
}

// Where the test errors are, for the whole window and k = 15.
const K_DETAIL = 15;
const detail = errorsByFile(knnInterferenceVotes(ds.train, ds.test, K_DETAIL, WINDOW), ds.test, ds.files.map((f) => basename(f.name)));

const md: string[] = [
  '# k-nearest-neighbour baseline for interference detection',
  '',
  `Made by \`npm run kpi:neighbours${argv.length ? ' -- ' + argv.join(' ') : ''}\`. Window ${WINDOW}; the reference set is the ${ds.train.count} training windows, scaled exactly as for the LSTMs; distance = Euclidean over the last *steps* steps of the window (all three KPIs); vote = fraction of the k nearest training windows labelled interference, predicted class = vote >= 0.5.`,
  '',
  '| Split | Steps | k | Accuracy (%) | Balanced acc (%) | Errors |',
  '|---|---|---|---|---|---|',
  ...rows.map((r) => `| ${r.split} | ${r.steps} | ${r.k} | ${pct(r.accuracy)} | ${pct(r.balancedAccuracy)} | ${r.errors} |`),
  '',
  `## Test errors by file (whole window, k = ${K_DETAIL})`,
  '',
  '| File | Windows | Interference | No interference | False alarms | Misses |',
  '|---|---|---|---|---|---|',
  ...detail.map((d) => `| ${d.file} | ${d.windows} | ${d.positives} | ${d.negatives} | ${d.falseAlarms} | ${d.misses} |`),
  '',
];
writeFileAtomic(join(OUT, 'neighbours.md'), md.join('\n'));
writeFileAtomic(join(OUT, 'neighbours.json'), JSON.stringify({ window: WINDOW, trainWindows: ds.train.count, rows, testErrorsByFile: { k: K_DETAIL, steps: WINDOW, files: detail } }, null, 2) + '\n');
process.stderr.write(`kpi:neighbours: wrote ${join(OUT, 'neighbours.md')}\n`);
