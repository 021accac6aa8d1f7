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
 *     second half, beside the raw-unit baselines with the same rule.
 * Writes OUT/episodes.{md,json} (--help lists the options).
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import { listFcciqFiles, loadFcciqFiles, splitSizes, type FcciqFile } from '../../src/datasets/kpi/fcciq.js';
import { alertEpisodes, type AlertingRule } from '../../src/detection/alerting.js';
import { labelledEpisodes } from '../../src/detection/episodes.js';
import { eventMetrics, poolEventMetrics, type EventMetrics } from '../../src/detection/event-metrics.js';
import { seriesFromRecords } from '../../src/detection/report/series-records.js';
import { initEngine } from '../../src/dnn/engine.js';
import { KPI_RECIPE } from '../../src/dnn/kpi/recipe.js';
import { writeFileAtomic } from '../../src/io/atomic-write.js';
import { createContext, loadModels } from '../../src/server/app.js';
import { defaultLoaders } from '../../src/server/loaders.js';
import { createLogger } from '../../src/server/logger.js';
import { detectKpi } from '../../src/server/routes/kpi-detect.js';
import { leftOutRun } from './kpi-episodes-unseen.js';
import { argv, DEFAULT_FCCIQ_DIR, existingDir, flag, intOpt, opt, outDir, readScriptOptions, ROOT } from '../shared/lib.js';
import { ruleGrid, chooseRule, episodesReport } from './kpi-episodes-report.js';

const WINDOW = KPI_RECIPE.window;

/** One scored stretch of a file: rows with a window only (the first window - 1 rows dropped). */
interface Scored {
  file: string;
  probability: Array<number | null>;
  labels: number[];
  timesMs: number[];
}

/** Times of the rows parseFcciqCsv keeps (those with RSRP, RSRQ, SINR and lab_inf), in its order. */
function cleanedTimes(path: string, file: FcciqFile): number[] {
  const series = seriesFromRecords(parse(readFileSync(path, 'utf8'), { columns: true, skip_empty_lines: true, trim: true }));
  const kept = series.rows.flatMap((r, i) => (r.every((v) => v !== null) && series.labels?.[i] !== null ? [i] : []));
  const times = kept.map((i) => (series.timesMs as number[])[i]);
  if (times.length !== file.labels.length || kept.some((i, k) => series.labels?.[i] !== file.labels[k])) throw new Error(`${file.name}: rows do not line up with the FccIQ loader's`);
  return times;
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
  },
});

async function main(): Promise<void> {
  const data = existingDir('data', DEFAULT_FCCIQ_DIR);
  const out = outDir();
  const runs = resolve(opt('runs', join(ROOT, 'scratch', 'kpi-episodes-runs')));
  await initEngine();
  const { files } = loadFcciqFiles(data);
  const times = listFcciqFiles(data).map((p, i) => cleanedTimes(p, files[i]));
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
  const grid = ruleGrid().map((rule) => ({ rule, metrics: poolEventMetrics(val.map((v) => score(v, rule))) }));
  const chosen = chooseRule(grid);
  const test: Array<{ file: string; metrics: EventMetrics }> = [];
  for (const [fi, f] of files.entries()) {
    const s = splitSizes(f.labels.length);
    const answer = await detect(f, fi, s.train + s.val, f.labels.length, chosen);
    const sc = scoredRows(f, times[fi], s.train + s.val, f.labels.length, answer.interferenceProbability);
    // The endpoint's own episodes, shifted to the scored rows.
    const alerts = answer.episodes.map((e) => ({ start: e.start - (WINDOW - 1), end: e.end - (WINDOW - 1) }));
    test.push({ file: f.name, metrics: eventMetrics(labelledEpisodes(sc.labels, sc.timesMs), alerts, sc.timesMs) });
  }
  const unseen = flag('no-unseen')
    ? []
    : files.map((f, fi) => {
        const run = leftOutRun(files, fi, runs, intOpt('epochs', KPI_RECIPE.epochs));
        const end = f.labels.length;
        const perModel = Object.entries(run.probability).map(([model, p]) => ({ model, metrics: score(scoredRows(f, times[fi], run.start, end, p), chosen) }));
        return { file: f.name, epochs: run.epochs, bestEpoch: run.bestEpoch, trainSeconds: run.trainSeconds, perModel };
      });
  const report = episodesReport({ command: `npm run kpi:episodes -- ${argv.map((a, i) => (argv[i - 1] === '--data' ? 'DIR' : a)).join(' ')}`, grid, chosen, test, unseen });
  writeFileAtomic(join(out, 'episodes.md'), report.md);
  writeFileAtomic(join(out, 'episodes.json'), `${JSON.stringify(report.json, null, 2)}\n`);
  process.stdout.write(report.md);
}

await main();
