/**
 * Per-row interference probabilities on the second half of a left-out FccIQ file (the files of
 * `kpi:unseen`, scripts/experiments/kpi-leave-one-out.ts): from the served recipe (src/dnn/kpi/recipe.ts)
 * trained on the other files, with no profile (the pooled scaler: what /v1/kpi/detect uses by
 * default), and from the two raw-unit baselines fitted on the same training windows (logistic
 * regression on summary features, a last-step SINR threshold). With `upperBound`, the recipe is
 * trained on the other files AND the left-out file's labelled first half instead (kpi:unseen's
 * `--upper-bound`): what even a model that has seen the cell's labels reaches on the same second
 * half. Resumable: each answer is written to RUNS/<file>[-upper-bound].json and read back when it exists.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { rangeWindows, type FcciqFile } from '../../src/datasets/kpi/fcciq.js';
import { leaveOneFileOut, leaveOneOutRows, RAW_SCALER } from './kpi-leave-one-out.js';
import { fitLogistic, fitSinrThreshold, logisticProbabilities, sinrThresholdProbabilities, summaryFeatures } from './kpi-baselines.js';
import { predictKpi } from '../../src/dnn/kpi/predict.js';
import { KPI_RECIPE } from '../../src/dnn/kpi/recipe.js';
import { createKpiModel } from '../../src/dnn/kpi/registry.js';
import { trainKpi } from '../../src/dnn/kpi/trainer.js';
import { removeCheckpoints } from '../../src/dnn/training/checkpoint.js';
import { onEpochs } from '../../src/dnn/training/events.js';
import { writeFileAtomic } from '../../src/io/atomic-write.js';

export interface LeftOutRun {
  file: string;
  epochs: number;
  bestEpoch: number;
  trainSeconds: number;
  /** First row of the scored second half (index into the cleaned file). */
  start: number;
  /**
   * Per row of the second half; null where no window ends (the first window - 1 rows and the last).
   * Models: `recipe`, `logistic regression`, `SINR threshold`; with upperBound, UPPER_BOUND only.
   */
  probability: Record<string, Array<number | null>>;
}

/** The model name of the upper bound's answers. */
export const UPPER_BOUND = 'recipe + labelled first half (upper bound)';

/** Window k of a half of `rows` rows ends at its row k + w - 1: per-row values, null elsewhere. */
function perRow(rows: number, window: number, values: ArrayLike<number>): Array<number | null> {
  const out: Array<number | null> = new Array<number | null>(rows).fill(null);
  for (let k = 0; k < values.length; k++) out[k + window - 1] = values[k];
  return out;
}

/** The raw-unit baselines fitted on the training windows of the other files, per row of the scored half. */
function baselines(files: FcciqFile[], leftOut: number, half: number): LeftOutRun['probability'] {
  const w = KPI_RECIPE.window;
  const rows = leaveOneOutRows(files.map((f) => f.labels.length), leftOut);
  const train = rangeWindows(files, rows.train, () => RAW_SCALER, w);
  const scoredRaw = rangeWindows(files, [rows.score], () => RAW_SCALER, w);
  const logistic = fitLogistic(summaryFeatures(train), train.label);
  return {
    'logistic regression': perRow(half, w, logisticProbabilities(logistic, summaryFeatures(scoredRaw))),
    'SINR threshold': perRow(half, w, sinrThresholdProbabilities(scoredRaw, fitSinrThreshold(train))),
  };
}

export function leftOutRun(files: FcciqFile[], leftOut: number, runs: string, epochs: number, upperBound = false): LeftOutRun {
  const file = files[leftOut].name;
  const name = upperBound ? `${file}-upper-bound` : file;
  const path = join(runs, `${name}.json`);
  if (existsSync(path)) return JSON.parse(readFileSync(path, 'utf8')) as LeftOutRun;
  const w = KPI_RECIPE.window;
  const split = leaveOneFileOut(files, leftOut, w, KPI_RECIPE.inputs, { labelledHistory: upperBound });
  const model = createKpiModel(KPI_RECIPE.arch, { hidden: KPI_RECIPE.hidden, window: w, context: KPI_RECIPE.context, seed: KPI_RECIPE.seed });
  const checkpointDir = join(runs, `${name}-checkpoint`);
  const log = (line: string) => process.stderr.write(`kpi:episodes: ${file} left out${upperBound ? ' (upper bound)' : ''}: ${line}\n`);
  log(`${split.train.count} training windows, ${split.scored.withoutProfile.count} scored`);
  const r = trainKpi(model, split.train, split.val, {
    epochs,
    seed: KPI_RECIPE.seed,
    patience: KPI_RECIPE.patience,
    checkpointDir,
    onEvent: onEpochs((l) => log(`epoch ${l.epoch} val loss ${l.valLoss.toFixed(4)}${l.best ? ' *' : ''} ${l.seconds.toFixed(0)}s`)),
  });
  const { score } = split.rows;
  const half = score.end - score.start;
  const recipe = perRow(half, w, predictKpi(model, split.scored.withoutProfile).prob);
  const run: LeftOutRun = {
    file,
    epochs: r.epochsRun,
    bestEpoch: r.bestEpoch,
    trainSeconds: r.trainSeconds,
    start: score.start,
    probability: upperBound ? { [UPPER_BOUND]: recipe } : { recipe, ...baselines(files, leftOut, half) },
  };
  writeFileAtomic(path, `${JSON.stringify(run)}\n`);
  removeCheckpoints(checkpointDir);
  for (const v of Object.values(model.params.vars)) v.dispose();
  return run;
}
