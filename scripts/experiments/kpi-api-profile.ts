/**
 * `npm run kpi:api-profile [-- --data DIR --models DIR]`: the served KPI model scored on the
 * paper's test split (each FccIQ file's last 10% of rows) through the KPI service
 * (src/dnn/kpi/service.ts, what the HTTP API and the CLI answer with): without a profile
 * (the default, the scaler pooled over the training files), and with a calibration profile of
 * each cell made by the service's calibration (POST /v1/kpi/calibrate) from the cell's
 * unlabelled history (its training rows, or only the first half of them). Beside detection,
 * the next-step RMSE of each KPI against persistence (a profile carries the cell's forecast gain).
 * Writes DIR/api-profile.{md,json} (`--out results/kpi` updates the committed ones; default scratch/kpi-api-profile/).
 */
import { join } from 'node:path';
import { listFcciqFiles, loadFcciqFiles, splitSizes, DEFAULT_WINDOW } from '../../src/datasets/kpi/fcciq.js';
import { fcciqRowTimes } from '../../src/detection/fcciq-times.js';
import { eventsLine, seriesEvents, type ScoredSeries } from '../../src/detection/window-events.js';
import { expectedCalibrationError } from '../../src/dnn/kpi/metrics.js';
import { writeFileAtomic } from '../../src/io/atomic-write.js';
import { calibrateProfile, predictWindows } from '../../src/dnn/kpi/service.js';
import { openFirstKpiModel } from './kpi-model-dir.js';
import { argv, DEFAULT_FCCIQ_DIR, existingDir, opt, outDir, readScriptOptions, ROOT } from '../shared/lib.js';
import { detectionRates, tally, testWindowEnds, type Confusion } from './kpi-test-split.js';

readScriptOptions({
  name: 'kpi:api-profile',
  summary: "The served KPI model scored on the paper's test split through the KPI service (what the HTTP API answers with), without and with a calibration profile; writes api-profile.md and .json.",
  options: {
    data: { value: 'DIR', help: 'FccIQ CSV folder (default data/fcciq)' },
    models: { value: 'DIR', help: 'the models to serve (default models)' },
    out: { value: 'DIR', help: 'where to write (default scratch/kpi-api-profile; results/kpi updates the committed results)' },
  },
});
const DATA = existingDir('data', DEFAULT_FCCIQ_DIR);
const MODELS = opt('models', join(ROOT, 'models'));
const OUT = outDir();
const CALIBRATIONS = ['none', 'train rows', 'first half of train rows'] as const;
type Calibration = (typeof CALIBRATIONS)[number];

const model = await openFirstKpiModel(MODELS);

const counts = Object.fromEntries(CALIBRATIONS.map((c) => [c, { tp: 0, fn: 0, tn: 0, fp: 0 }])) as Record<Calibration, Confusion>;
const scored = Object.fromEntries(CALIBRATIONS.map((c) => [c, { prob: [] as number[], labels: [] as number[] }])) as Record<Calibration, { prob: number[]; labels: number[] }>;
/** Per calibration, sums of squared next-step errors per KPI [RSRP, RSRQ, SINR]: the model's and persistence's. */
const squared = Object.fromEntries(CALIBRATIONS.map((c) => [c, { model: [0, 0, 0], persistence: [0, 0, 0] }])) as Record<Calibration, { model: number[]; persistence: number[] }>;
/** Per calibration, the forecast gain of each cell's profile. */
const forecastGain: Partial<Record<Calibration, number[][]>> = {};
/** Per calibration, each file's test windows in order, for the event metrics (src/detection/). */
const series = Object.fromEntries(CALIBRATIONS.map((c) => [c, [] as ScoredSeries[]])) as Record<Calibration, ScoredSeries[]>;
const paths = listFcciqFiles(DATA);
for (const [fi, f] of loadFcciqFiles(DATA).files.entries()) {
  const n = f.labels.length;
  const times = fcciqRowTimes(paths[fi], f);
  const s = splitSizes(n);
  const row = (i: number) => Array.from(f.values.subarray(i * 3, i * 3 + 3));
  const ends = testWindowEnds(n);
  const windows = ends.map((end) => Array.from({ length: DEFAULT_WINDOW }, (_, k) => row(end - DEFAULT_WINDOW + k)));
  const labels = ends.map((end) => f.labels[end - 1]);
  const history: Record<Calibration, number> = { none: 0, 'train rows': s.train, 'first half of train rows': Math.floor(s.train / 2) };
  for (const c of CALIBRATIONS) {
    let profile: unknown;
    if (history[c] > 0) profile = await calibrateProfile(model, Array.from({ length: history[c] }, (_, i) => row(i)));
    const gain = (profile as { forecastGain?: number[] } | undefined)?.forecastGain;
    if (gain) (forecastGain[c] ??= []).push(gain);
    const fileSeries = { name: f.name, probability: [] as number[], labels, timesMs: ends.map((end) => times[end - 1]) };
    series[c].push(fileSeries);
    for (let b = 0; b < windows.length; b += 512) {
      const answer = await predictWindows(model, windows.slice(b, b + 512), { profile });
      answer.predictions.forEach((p, i) => {
        tally(counts[c], labels[b + i], p.interference);
        const next = row(ends[b + i]);
        const last = windows[b + i][DEFAULT_WINDOW - 1];
        [p.rsrp, p.rsrq, p.sinr].forEach((v, j) => {
          squared[c].model[j] += (v - next[j]) ** 2;
          squared[c].persistence[j] += (last[j] - next[j]) ** 2;
        });
        scored[c].prob.push(p.interferenceProbability);
        fileSeries.probability.push(p.interferenceProbability);
        scored[c].labels.push(labels[b + i]);
      });
    }
  }
}

const rows = CALIBRATIONS.map((c) => {
  const { tp, fn, tn, fp } = counts[c];
  return {
    calibration: c,
    windows: tp + fn + tn + fp,
    ...detectionRates(counts[c]),
    expectedCalibrationError: expectedCalibrationError(scored[c].prob, scored[c].labels),
    rmse: squared[c].model.map((e) => Math.sqrt(e / (tp + fn + tn + fp))),
    persistenceRmse: squared[c].persistence.map((e) => Math.sqrt(e / (tp + fn + tn + fp))),
    forecastGainPerCell: forecastGain[c] ?? null,
    events: seriesEvents(series[c]),
  };
});
const command = `npm run kpi:api-profile${argv.length ? ` -- ${argv.map((a, i) => (argv[i - 1] === '--data' ? 'DIR' : a)).join(' ')}` : ''}`;
writeFileAtomic(join(OUT, 'api-profile.json'), `${JSON.stringify({ command, model: `${model.name}@${model.version}`, rows }, null, 2)}\n`);
const pct = (v: number) => (100 * v).toFixed(2);
const md = [
  '# The served KPI model through the KPI service (what the HTTP API answers with), with and without a calibration profile',
  '',
  `Made by \`${command}\`: model \`${model.name}@${model.version}\`, the paper's test split (each FccIQ file's last 10% of rows), every window sent raw through the KPI service (what \`/v1/kpi/predict\` answers with). A profile is made per cell by the service's calibration (\`POST /v1/kpi/calibrate\`) from that cell's unlabelled rows (its training rows, or only the first half of them); no label is used.`,
  '',
  '| calibration | windows | accuracy % | balanced % | TPR % | FPR % | ECE | RMSE RSRP | RMSE RSRQ | RMSE SINR |',
  '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ...rows.map((r) => `| ${r.calibration === 'none' ? 'none (pooled scaler, the default)' : `profile from the ${r.calibration}`} | ${r.windows} | ${pct(r.accuracy)} | ${pct(r.balancedAccuracy)} | ${pct(r.tpr)} | ${pct(r.fpr)} | ${r.expectedCalibrationError.toFixed(3)} | ${r.rmse.map((v, j) => `${v.toFixed(3)} / ${r.persistenceRmse[j].toFixed(3)}`).join(' | ')} |`),
  '',
  'RMSE: next-step root-mean-square error in dBm / dB, the answer / persistence (the last measured value); with a profile the answer uses the cell\'s forecast gain.',
  '',
  'ECE: expected calibration error of the interference probability, 10 equal-width bins (0 = the probabilities are the observed frequencies).',
  '',
  '## Interference episodes (event metrics)',
  '',
  "The served alerting rule (docs/kpi.md, chosen on the validation split) run over each file's test windows in order; labelled episodes are runs of `lab_inf = 1` merged when less than 2 s apart; an episode is caught when an alert overlaps it.",
  '',
  ...rows.map((r) => `- ${r.calibration === 'none' ? 'none (the default)' : `profile from the ${r.calibration}`}: ${eventsLine(r.events)}`),
  '',
].join('\n');
writeFileAtomic(join(OUT, 'api-profile.md'), md);
process.stdout.write(md);
