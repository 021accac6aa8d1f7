/**
 * `npm run kpi:gaps [-- --data DIR --models DIR --seed S]`: how much missing measurements cost
 * the served KPI model. The paper's test split (each FccIQ file's last 10% of rows) through the
 * KPI service (src/dnn/kpi/service.ts, what the HTTP API and the CLI answer with), with a fraction of the raw values of every file nulled at
 * random (each value independently, fixed seed; the same gaps then appear in every window and
 * calibration row that holds them): without a profile (the default) and with each cell's
 * profile made by the service's calibration (POST /v1/kpi/calibrate) from its (equally gappy) training rows.
 * Windows the API refuses (too many gaps, see src/measurements/gaps.ts) are counted apart.
 * Writes DIR/gaps.{md,json} (`--out results/kpi` updates the committed ones; default scratch/kpi-gaps/).
 */
import { join } from 'node:path';
import seedrandom from 'seedrandom';
import { loadFcciqFiles, splitSizes, DEFAULT_WINDOW } from '../../src/datasets/kpi/fcciq.js';
import { gapProblem, MAX_MISSING_FRACTION } from '../../src/measurements/gaps.js';
import { writeFileAtomic } from '../../src/io/atomic-write.js';
import { calibrateProfile, predictWindows } from '../../src/dnn/kpi/service.js';
import { openFirstKpiModel } from './kpi-model-dir.js';
import { argv, DEFAULT_FCCIQ_DIR, existingDir, opt, outDir, readScriptOptions, ROOT } from '../shared/lib.js';
import { detectionRates, tally, testWindowEnds } from './kpi-test-split.js';

readScriptOptions({
  name: 'kpi:gaps',
  summary: 'What missing measurements cost the served KPI model: the test split through the KPI service (what the HTTP API answers with) with 0-20% of the values nulled; writes gaps.md and .json.',
  options: {
    data: { value: 'DIR', help: 'FccIQ CSV folder (default data/fcciq)' },
    models: { value: 'DIR', help: 'the models to serve (default models)' },
    seed: { value: 'S', help: 'seed of the nulled values (default 1)' },
    out: { value: 'DIR', help: 'where to write (default scratch/kpi-gaps; results/kpi updates the committed results)' },
  },
});
const DATA = existingDir('data', DEFAULT_FCCIQ_DIR);
const MODELS = opt('models', join(ROOT, 'models'));
const OUT = outDir();
const SEED = opt('seed', '1');
/** Fractions of values nulled: 0 and 10% are the measure; 5% and 20% show the trend around it. */
const NULLED = [0, 0.05, 0.1, 0.2];
const CALIBRATIONS = ['none', 'profile from the train rows'] as const;
type Calibration = (typeof CALIBRATIONS)[number];
/** Largest allowed drop of balanced accuracy at 10% nulled, in points. */
const GOAL_DROP_POINTS = 2;

const model = await openFirstKpiModel(MODELS);
const context = model.context ?? model.windowLength;
const files = loadFcciqFiles(DATA).files;

interface Counts {
  tp: number;
  fn: number;
  tn: number;
  fp: number;
  refused: number;
  imputed: number;
}

async function score(fraction: number, calibration: Calibration): Promise<Counts> {
  const c: Counts = { tp: 0, fn: 0, tn: 0, fp: 0, refused: 0, imputed: 0 };
  for (const [fileIndex, f] of files.entries()) {
    const rng = seedrandom(`kpi-gaps-${SEED}-${fraction}-${fileIndex}`);
    const n = f.labels.length;
    const s = splitSizes(n);
    const rows = Array.from({ length: n }, (_, i) => Array.from(f.values.subarray(i * 3, i * 3 + 3), (v) => (rng() < fraction ? null : v)));
    const profile = calibration === 'none' ? undefined : await calibrateProfile(model, rows.slice(0, s.train));
    const windows: Array<Array<Array<number | null>>> = [];
    const labels: number[] = [];
    for (const end of testWindowEnds(n)) {
      const w = rows.slice(end - DEFAULT_WINDOW, end);
      if (gapProblem(w, context) !== undefined) {
        c.refused++;
        continue;
      }
      windows.push(w);
      labels.push(f.labels[end - 1]);
    }
    for (let b = 0; b < windows.length; b += 512) {
      const answer = await predictWindows(model, windows.slice(b, b + 512), { profile });
      answer.predictions.forEach((p, i) => {
        c.imputed += p.imputed;
        tally(c, labels[b + i], p.interference);
      });
    }
  }
  return c;
}

interface Result {
  calibration: Calibration;
  nulled: number;
  answered: number;
  refused: number;
  imputedPerWindow: number;
  accuracy: number;
  balancedAccuracy: number;
  tpr: number;
  fpr: number;
}
const results: Result[] = [];
for (const calibration of CALIBRATIONS) {
  for (const nulled of NULLED) {
    const { tp, fn, tn, fp, refused, imputed } = await score(nulled, calibration);
    const answered = tp + fn + tn + fp;
    results.push({
      calibration,
      nulled,
      answered,
      refused,
      imputedPerWindow: imputed / answered,
      ...detectionRates({ tp, fn, tn, fp }),
    });
  }
}
const rows = results.map((r) => {
  const clean = results.find((x) => x.calibration === r.calibration && x.nulled === 0) as Result;
  return { ...r, dropPoints: 100 * (clean.balancedAccuracy - r.balancedAccuracy) };
});
const goal = CALIBRATIONS.map((calibration) => {
  const at10 = rows.find((r) => r.calibration === calibration && r.nulled === 0.1) as (typeof rows)[number];
  return { calibration, dropPoints: at10.dropPoints, met: at10.dropPoints <= GOAL_DROP_POINTS };
});

const command = `npm run kpi:gaps${argv.length ? ` -- ${argv.map((a, i) => (argv[i - 1] === '--data' ? 'DIR' : a)).join(' ')}` : ''}`;
writeFileAtomic(join(OUT, 'gaps.json'), `${JSON.stringify({ command, model: `${model.name}@${model.version}`, seed: SEED, maxMissingFraction: MAX_MISSING_FRACTION, goalDropPoints: GOAL_DROP_POINTS, goal, rows }, null, 2)}\n`);
const pct = (v: number) => (100 * v).toFixed(2);
const md = [
  '# The served KPI model with missing measurements',
  '',
  `Made by \`${command}\`: model \`${model.name}@${model.version}\`, the paper's test split (each FccIQ file's last 10% of rows), every window POSTed raw to \`/v1/kpi/predict\` with a fraction of the file's values set to null at random (each value independently, seed ${SEED}; a gap appears in every window holding it). The API fills gaps per column (last value carried forward) before scaling and refuses a window with over ${100 * MAX_MISSING_FRACTION}% of its values missing or a column missing in all the ${context} steps the model reads; refused windows are counted apart, not scored. The profile is made by \`POST /v1/kpi/calibrate\` from the cell's training rows, with the same gaps.`,
  '',
  '| calibration | values nulled | windows answered | refused | filled per window | accuracy % | balanced % | drop (points) | TPR % | FPR % |',
  '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ...rows.map(
    (r) =>
      `| ${r.calibration === 'none' ? 'none (pooled scaler, the default)' : r.calibration} | ${pct(r.nulled)}% | ${r.answered} | ${r.refused} | ${r.imputedPerWindow.toFixed(1)} | ${pct(r.accuracy)} | ${pct(r.balancedAccuracy)} | ${r.dropPoints.toFixed(2)} | ${pct(r.tpr)} | ${pct(r.fpr)} |`,
  ),
  '',
  `Goal: with 10% of values nulled, balanced accuracy drops by at most ${GOAL_DROP_POINTS} points. ${goal.map((g) => `${g.calibration === 'none' ? 'Without a profile' : 'With a profile'}: ${g.dropPoints.toFixed(2)} points, ${g.met ? 'met' : 'NOT met'}.`).join(' ')}`,
  '',
].join('\n');
writeFileAtomic(join(OUT, 'gaps.md'), md);
process.stdout.write(md);
