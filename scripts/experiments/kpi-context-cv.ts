/**
 * `npm run kpi:context-cv`: chooses the LSTM context length (how many of the
 * window's last steps the model reads) by blocked time-series cross-validation
 * inside the train part of each CSV (scripts/experiments/kpi-folds.ts), so the choice
 * touches neither the validation nor the test split. Criterion, fixed in advance:
 * the lowest held-out loss (eq. 4, the training's own checkpoint criterion),
 * averaged over the folds; held-out accuracy is reported next to it.
 *
 * Resumable: each (context, fold) run writes RUNS/<name>.json when done and keeps
 * per-epoch checkpoints until then. Split the work over two processes with
 * --part 0 --parts 2 and --part 1 --parts 2; every invocation rewrites the report
 * from the runs finished so far. Writes OUT/context-cv.{md,json}.
 * Options: --data DIR --arch A (ple) --hidden H (64) --contexts 5,10,20,35 --folds K (4)
 * --seed S (1) --epochs E (25) --patience P (8) --runs DIR (scratch/kpi-context-cv)
 * --out DIR (scratch/kpi-context-cv; results/kpi updates the committed report) --part I (0) --parts N (1) --report-only.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { listFcciqFiles, parseFcciqCsv, DEFAULT_WINDOW } from '../../src/datasets/kpi/fcciq.js';
import { kpiTrainFolds } from './kpi-folds.js';
import { initEngine } from '../../src/dnn/engine.js';
import { createKpiModel } from '../../src/dnn/kpi/registry.js';
import { trainKpi } from '../../src/dnn/kpi/trainer.js';
import { removeCheckpoints } from '../../src/dnn/training/checkpoint.js';
import { onEpochs } from '../../src/dnn/training/events.js';
import { meanCi } from '../../src/dnn/kpi/metrics.js';
import { writeFileAtomic } from '../../src/io/atomic-write.js';
import { argv, existingDir, flag, opt, outDir, readScriptOptions, DEFAULT_FCCIQ_DIR, ROOT } from '../shared/lib.js';

readScriptOptions({
  name: 'kpi:context-cv',
  summary: 'Chooses the LSTM context length by blocked time-series cross-validation inside the train part of each CSV; resumable; writes context-cv.md and .json.',
  options: {
    data: { value: 'DIR', help: 'FccIQ CSV folder (default data/fcciq)' },
    arch: { value: 'A', help: 'architecture (default ple)' },
    hidden: { value: 'H', help: 'LSTM hidden size (default 64)' },
    contexts: { value: 'a,b', help: 'context lengths to compare (default 5,10,20,35)' },
    folds: { value: 'K', help: 'cross-validation folds (default 4)' },
    seed: { value: 'S', help: 'seed (default 1)' },
    epochs: { value: 'E', help: 'maximum epochs (default 25)' },
    patience: { value: 'P', help: 'early-stopping patience (default 8)' },
    runs: { value: 'DIR', help: 'finished runs, for resuming (default scratch/kpi-context-cv)' },
    out: { value: 'DIR', help: 'where to write the report (default scratch/kpi-context-cv; results/kpi updates the committed results)' },
    part: { value: 'I', help: 'this process\'s part of the work (default 0)' },
    parts: { value: 'N', help: 'number of parts (default 1)' },
    'report-only': { help: 'write the report from the finished runs, train nothing' },
  },
});
const DATA = flag('report-only') ? '' : existingDir('data', DEFAULT_FCCIQ_DIR);
const ARCH = opt('arch', 'ple');
const HIDDEN = Number(opt('hidden', '64'));
const CONTEXTS = opt('contexts', '5,10,20,35').split(',').map(Number);
const FOLDS = Number(opt('folds', '4'));
const SEED = Number(opt('seed', '1'));
const EPOCHS = Number(opt('epochs', '25'));
const PATIENCE = Number(opt('patience', '8'));
const RUNS = resolve(opt('runs', join(ROOT, 'scratch', 'kpi-context-cv')));
const OUT = outDir();
const PART = Number(opt('part', '0'));
const PARTS = Number(opt('parts', '1'));
const WINDOW = DEFAULT_WINDOW;

interface CvRun { arch: string; hidden: number; context: number; fold: number; seed: number; epochsRun: number; bestEpoch: number; bestValLoss: number; valAccuracyAtBest: number; trainSeconds: number }
const runName = (c: number, k: number) => `${ARCH}-h${HIDDEN}-c${c}-f${k}-s${SEED}`;

if (!flag('report-only')) {
  await initEngine();
  const files = listFcciqFiles(DATA).map((p) => parseFcciqCsv(readFileSync(p, 'utf8'), basename(p)));
  const folds = kpiTrainFolds(files, WINDOW, FOLDS);
  const items = CONTEXTS.flatMap((c) => folds.map((_, k) => ({ c, k }))).filter((_, i) => i % PARTS === PART);
  mkdirSync(RUNS, { recursive: true });
  for (const { c, k } of items) {
    const file = join(RUNS, `${runName(c, k)}.json`);
    if (existsSync(file)) continue;
    const model = createKpiModel(ARCH, { hidden: HIDDEN, window: WINDOW, context: c, seed: SEED });
    const checkpointDir = join(RUNS, `${runName(c, k)}-checkpoint`);
    process.stderr.write(`kpi:context-cv: ${runName(c, k)}: ${folds[k].train.count} training / ${folds[k].val.count} held-out windows\n`);
    const r = trainKpi(model, folds[k].train, folds[k].val, {
      epochs: EPOCHS, seed: SEED, patience: PATIENCE, checkpointDir,
      onEvent: onEpochs((l) => process.stderr.write(`kpi:context-cv: ${runName(c, k)} epoch ${l.epoch} held-out loss ${l.valLoss.toFixed(4)} acc ${(100 * l.valAccuracy).toFixed(2)}%${l.best ? ' *' : ''}\n`)),
    });
    const best = r.history[r.bestEpoch - 1];
    const run: CvRun = { arch: ARCH, hidden: HIDDEN, context: c, fold: k, seed: SEED, epochsRun: r.epochsRun, bestEpoch: r.bestEpoch, bestValLoss: r.bestValLoss, valAccuracyAtBest: best.valAccuracy, trainSeconds: r.trainSeconds };
    writeFileAtomic(file, JSON.stringify(run, null, 2) + '\n');
    removeCheckpoints(checkpointDir);
    for (const v of Object.values(model.params.vars)) v.dispose();
  }
}

// Report over every finished run of this arch / H / seed.
const runs: CvRun[] = existsSync(RUNS)
  ? readdirSync(RUNS).filter((f) => f.endsWith('.json')).map((f) => JSON.parse(readFileSync(join(RUNS, f), 'utf8')) as CvRun)
      .filter((r) => r.arch === ARCH && r.hidden === HIDDEN && r.seed === SEED)
  : [];
const rows = [...new Set(runs.map((r) => r.context))].sort((a, b) => a - b).map((c) => {
  const rs = runs.filter((r) => r.context === c).sort((a, b) => a.fold - b.fold);
  return { context: c, folds: rs.length, loss: meanCi(rs.map((r) => r.bestValLoss)), accuracy: meanCi(rs.map((r) => r.valAccuracyAtBest)), perFold: rs.map((r) => ({ fold: r.fold, loss: r.bestValLoss, accuracy: r.valAccuracyAtBest, bestEpoch: r.bestEpoch, epochsRun: r.epochsRun })), trainSeconds: rs.reduce((a, r) => a + r.trainSeconds, 0) };
});
const complete = rows.filter((r) => r.folds === FOLDS);
const chosen = complete.length === CONTEXTS.length ? complete.reduce((a, b) => (b.loss.mean < a.loss.mean ? b : a)) : undefined;
const f = (x: number, d = 4) => x.toFixed(d);
// The command as it defines the result: without the work-splitting and report-only switches.
const shownArgs = argv.filter((a, i) => !['--part', '--parts', '--report-only'].includes(a) && !['--part', '--parts'].includes(argv[i - 1]));
const md = [
  '# Choosing the LSTM context length by cross-validation',
  '',
  `Made by \`npm run kpi:context-cv${shownArgs.length ? ' -- ' + shownArgs.join(' ') : ''}\`. ${ARCH}, H = ${HIDDEN}, window ${WINDOW}, seed ${SEED}, max ${EPOCHS} epochs, patience ${PATIENCE}. Blocked cross-validation inside each CSV's train part (${FOLDS} contiguous blocks; fold k holds out block k of every file, scaler fitted on the kept rows; see scripts/experiments/kpi-folds.ts): the validation and test splits are not used. Criterion fixed in advance: lowest mean held-out loss (eq. 4) at each run's best epoch; accuracy shown for information. Mean ± 95% t-interval over folds.`,
  '',
  '| Context (steps) | Folds done | Held-out loss | Held-out accuracy (%) | Per-fold accuracy (%) | Train time (s) |',
  '|---|---|---|---|---|---|',
  ...rows.map((r) => `| ${r.context}${chosen?.context === r.context ? ' (chosen)' : ''} | ${r.folds}/${FOLDS} | ${f(r.loss.mean)} ± ${f(r.loss.ci95)} | ${(100 * r.accuracy.mean).toFixed(2)} ± ${(100 * r.accuracy.ci95).toFixed(2)} | ${r.perFold.map((p) => (100 * p.accuracy).toFixed(1)).join(', ')} | ${Math.round(r.trainSeconds)} |`),
  '',
  chosen ? `Chosen: context ${chosen.context}.` : `Not complete yet: ${CONTEXTS.length * FOLDS - complete.reduce((a, r) => a + r.folds, 0)} runs missing; run the command again to continue.`,
  '',
];
mkdirSync(OUT, { recursive: true });
writeFileAtomic(join(OUT, 'context-cv.md'), md.join('\n'));
writeFileAtomic(join(OUT, 'context-cv.json'), JSON.stringify({ arch: ARCH, hidden: HIDDEN, window: WINDOW, seed: SEED, folds: FOLDS, epochs: EPOCHS, patience: PATIENCE, chosenContext: chosen?.context ?? null, rows }, null, 2) + '\n');
process.stderr.write(`kpi:context-cv: wrote ${join(OUT, 'context-cv.md')}\n`);
