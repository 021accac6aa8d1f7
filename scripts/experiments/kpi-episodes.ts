/**
 * `npm run kpi:episodes -- --data DIR`: interference episodes as an operator sees them, scored
 * with event metrics (src/detection/event-metrics.ts) on the FccIQ files. Labelled episodes are
 * runs of lab_inf = 1 merged when less than 2 s apart, among the rows that have a window (a
 * segment's first window - 1 rows have none and are not scored).
 *  1. The alerting rule's defaults are chosen on the paper's VALIDATION split (each file's rows
 *     80-90%), never the test split: the shipped model answers each file's validation rows
 *     through the implementation of POST /v1/kpi/detect, and every rule of a small grid is
 *     applied to those probabilities. Criterion, fixed before the run: highest episode recall
 *     among rules with at most 6 false alerts per hour of clean time, then the lowest median
 *     delay, then the fewest false alerts, then the smallest k + m.
 *  2. The paper's test split (rows 90-100%), through POST /v1/kpi/detect with that rule.
 *  3. Left-out files (unless --no-unseen): the served recipe trained without the file
 *     (scripts/experiments/kpi-episodes-unseen.ts; resumable under --runs), no profile, scored on the file's
 *     second half, beside the raw-unit baselines with the same rule; with --upper-bound also the recipe
 *     trained on the file's labelled first half too.
 *  4. The best rule on smoothed probabilities (a trailing mean of 2-5 windows), chosen on the
 *     validation split by the same criterion, applied to the same test and left-out series.
 * Writes OUT/episodes.{md,json} (--help lists the options).
 */
import { join, resolve } from 'node:path';
import { listFcciqFiles, loadFcciqFiles, splitSizes, type FcciqFile } from '../../src/datasets/kpi/fcciq.js';
import { alertEpisodes, type AlertingRule } from '../../src/detection/alerting.js';
import { labelledEpisodes } from '../../src/detection/episodes.js';
import { eventMetrics, poolEventMetrics, type EventMetrics } from '../../src/detection/event-metrics.js';
import { fcciqRowTimes } from '../../src/detection/fcciq-times.js';
import { initEngine } from '../../src/dnn/engine.js';
import { KPI_RECIPE } from '../../src/dnn/kpi/recipe.js';
import { writeFileAtomic } from '../../src/io/atomic-write.js';
import { createContext, loadModels } from '../../src/server/app.js';
import { defaultLoaders } from '../../src/server/loaders.js';
import { createLogger } from '../../src/server/logger.js';
import { detectKpi } from '../../src/server/routes/kpi-detect.js';
import { leftOutRun, type LeftOutRun } from './kpi-episodes-unseen.js';
import { SMOOTHING_WINDOWS, trailingMean } from './kpi-episodes-smoothing.js';
import { argv, DEFAULT_FCCIQ_DIR, existingDir, flag, intOpt, opt, outDir, readScriptOptions, ROOT } from '../shared/lib.js';
import { ruleGrid, chooseGraded, episodesReport, type Graded } from './kpi-episodes-report.js';

const WINDOW = KPI_RECIPE.window;

/** One scored stretch of a file: rows with a window only (the first window - 1 rows dropped). */
interface Scored {
  file: string;
  probability: Array<number | null>;
  labels: number[];
  timesMs: number[];
}

function score(s: Scored, rule: AlertingRule, probability = s.probability): EventMetrics {
  return eventMetrics(labelledEpisodes(s.labels, s.timesMs), alertEpisodes(probability, rule, s.timesMs), s.timesMs);
}

const scoredRows = (file: FcciqFile, times: number[], start: number, end: number, probability: Array<number | null>): Scored => ({
  file: file.name,
  probability: probability.slice(WINDOW - 1),
  labels: Array.from(file.labels.slice(start + WINDOW - 1, end)),
  timesMs: times.slice(start + WINDOW - 1, end),
});

readScriptOptions({
  name: 'kpi:episodes',
  summary: 'Interference episodes scored with event metrics: the alerting defaults chosen on the validation split, the test split through POST /v1/kpi/detect, left-out files; writes episodes.md and .json.',
  options: {
    data: { value: 'DIR', help: 'FccIQ CSV folder (default data/fcciq)' },
    models: { value: 'DIR', help: 'the models to serve (default models)' },
    runs: { value: 'DIR', help: 'left-out trainings, resumable (default scratch/kpi-episodes-runs)' },
    out: { value: 'DIR', help: 'where to write (default scratch/kpi-episodes; results/kpi updates the committed results)' },
    epochs: { value: 'N', help: "epochs of the left-out trainings (default the recipe's)" },
    'no-unseen': { help: 'skip the left-out files' },
    'upper-bound': { help: "left-out files: also the recipe trained on the file's labelled first half (4 more trainings)" },
  },
});

/** Every rule of the grid on the validation series, with the probabilities as they are or smoothed over `smoothing` windows. */
function grade(val: Scored[], smoothing?: number): Graded[] {
  const smooth = (v: Scored) => (smoothing ? trailingMean(v.probability, smoothing) : v.probability);
  return ruleGrid().map((rule) => ({ rule, metrics: poolEventMetrics(val.map((v) => score(v, rule, smooth(v)))), ...(smoothing && { smoothing }) }));
}

/** Per model of the left-out runs, its metrics on the second half under `rule` (probabilities smoothed over `smoothing` windows when given). */
function perModel(runs: LeftOutRun[], f: FcciqFile, times: number[], rule: AlertingRule, smoothing?: number) {
  return runs.flatMap((run) =>
    Object.entries(run.probability).map(([model, p]) => {
      const scored = scoredRows(f, times, run.start, f.labels.length, p);
      return { model, metrics: score(scored, rule, smoothing ? trailingMean(scored.probability, smoothing) : scored.probability) };
    }),
  );
}

async function main(): Promise<void> {
  const data = existingDir('data', DEFAULT_FCCIQ_DIR);
  const out = outDir();
  const runs = resolve(opt('runs', join(ROOT, 'scratch', 'kpi-episodes-runs')));
  await initEngine();
  const { files } = loadFcciqFiles(data);
  const times = listFcciqFiles(data).map((p, i) => fcciqRowTimes(p, files[i]));
  const ctx = createContext({ config: { precomputeLambdas: false }, loaders: await defaultLoaders(), logger: createLogger('silent') });
  await loadModels(ctx, resolve(opt('models', join(ROOT, 'models'))));
  const detect = async (f: FcciqFile, fi: number, start: number, end: number, alerting?: AlertingRule) => {
    const rows = Array.from({ length: end - start }, (_, k) => Array.from(f.values.slice((start + k) * 3, (start + k) * 3 + 3)));
    return detectKpi(ctx, { rows, timestamps: times[fi].slice(start, end), ...(alerting && { alerting }) });
  };
  const val: Scored[] = [];
  for (const [fi, f] of files.entries()) {
    const s = splitSizes(f.labels.length);
    val.push(scoredRows(f, times[fi], s.train, s.train + s.val, (await detect(f, fi, s.train, s.train + s.val)).interferenceProbability));
  }
  const grid = grade(val);
  const chosen = chooseGraded(grid).rule;
  const smoothedGrid = SMOOTHING_WINDOWS.flatMap((w) => grade(val, w));
  const smoothed = chooseGraded(smoothedGrid);
  const test: Array<{ file: string; metrics: EventMetrics }> = [];
  const testSmoothed: typeof test = [];
  for (const [fi, f] of files.entries()) {
    const s = splitSizes(f.labels.length);
    const answer = await detect(f, fi, s.train + s.val, f.labels.length, chosen);
    const sc = scoredRows(f, times[fi], s.train + s.val, f.labels.length, answer.interferenceProbability);
    // The endpoint's own episodes, shifted to the scored rows.
    const alerts = answer.episodes.map((e) => ({ start: e.start - (WINDOW - 1), end: e.end - (WINDOW - 1) }));
    test.push({ file: f.name, metrics: eventMetrics(labelledEpisodes(sc.labels, sc.timesMs), alerts, sc.timesMs) });
    testSmoothed.push({ file: f.name, metrics: score(sc, smoothed.rule, trailingMean(sc.probability, smoothed.smoothing as number)) });
  }
  const epochs = intOpt('epochs', KPI_RECIPE.epochs);
  const leftOut = flag('no-unseen') ? [] : files.map((_, fi) => [leftOutRun(files, fi, runs, epochs), ...(flag('upper-bound') ? [leftOutRun(files, fi, runs, epochs, true)] : [])]);
  const training = (r: LeftOutRun) => ({ epochs: r.epochs, bestEpoch: r.bestEpoch, trainSeconds: r.trainSeconds });
  const unseen = leftOut.map(([run, bound], fi) => ({ file: files[fi].name, ...training(run), ...(bound && { upperBound: training(bound) }), perModel: perModel([run, ...(bound ? [bound] : [])], files[fi], times[fi], chosen) }));
  const unseenSmoothed = leftOut.map((r, fi) => ({ file: files[fi].name, perModel: perModel(r, files[fi], times[fi], smoothed.rule, smoothed.smoothing) }));
  const report = episodesReport({ command: `npm run kpi:episodes -- ${argv.map((a, i) => (argv[i - 1] === '--data' ? 'DIR' : a)).join(' ')}`, grid, chosen, test, unseen, smoothed: { grid: smoothedGrid, test: testSmoothed, unseen: unseenSmoothed } });
  writeFileAtomic(join(out, 'episodes.md'), report.md);
  writeFileAtomic(join(out, 'episodes.json'), `${JSON.stringify(report.json, null, 2)}\n`);
  process.stdout.write(report.md);
}

await main();
