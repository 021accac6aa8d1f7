/**
 * One training of `kpi:unseen` (scripts/experiments/kpi-unseen.ts): a model trained (or, for
 * 'adapt', fine-tuned) on a leave-one-file-out split, scored on the held-out file's second half,
 * written as RUNS/<name>.json. An inner training leaves two files out (the outer one and the inner
 * one) and trains on the rest, so it serves both inner folds that leave out that pair: it is
 * scored on each of the two and writes both runs.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_WINDOW as WINDOW, type FcciqFile } from '../../src/datasets/kpi/fcciq.js';
import type { WindowSet } from '../../src/datasets/kpi/windows.js';
import type { KpiModel } from '../../src/dnn/kpi/base.js';
import { applyForecastGain, fitForecastGain } from '../../src/dnn/kpi/forecast-gain.js';
import { predictKpi } from '../../src/dnn/kpi/predict.js';
import { createKpiModel } from '../../src/dnn/kpi/registry.js';
import { trainKpi } from '../../src/dnn/kpi/trainer.js';
import { saveModel } from '../../src/dnn/model-io.js';
import { removeCheckpoints } from '../../src/dnn/training/checkpoint.js';
import { onEpochs } from '../../src/dnn/training/events.js';
import { writeFileAtomic } from '../../src/io/atomic-write.js';
import { adaptOnFirstHalf, loadRunModel } from './kpi-unseen-adapt.js';
import { leaveOneFileOut, type LeaveOneOutSplit } from './kpi-leave-one-out.js';
import { short, type Job, type Run, type UnseenSettings } from './kpi-unseen-runs.js';
import { score } from './kpi-unseen-scores.js';

export function jobName(j: Job, files: FcciqFile[], s: UnseenSettings): string {
  const inner = j.inner === null ? '' : `-in-${short(files[j.inner].name)}`;
  return `${j.kind}-${short(files[j.leftOut].name)}${inner}-${j.arch}-${j.candidate.name}-h${s.hidden}-c${s.context}-e${s.epochs}-s${j.seed}`;
}

/** The inner job that leaves the same two files out the other way round (scored by the same training). */
const mirrored = (j: Job): Job => ({ ...j, leftOut: j.inner as number, inner: j.leftOut });

/** The names of the runs job `j` writes. */
export function runNames(j: Job, files: FcciqFile[], s: UnseenSettings): string[] {
  return j.kind === 'inner' ? [jobName(j, files, s), jobName(mirrored(j), files, s)] : [jobName(j, files, s)];
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

/** The split of job `j`: inner jobs leave `inner` out of the outer fold's training files (the outer left-out file is not among them). */
function splitOf(j: Job, files: FcciqFile[]): LeaveOneOutSplit {
  const pool = j.inner === null ? files : files.filter((_, i) => i !== j.leftOut);
  const heldOut = j.inner === null ? j.leftOut : pool.indexOf(files[j.inner]);
  return leaveOneFileOut(pool, heldOut, WINDOW, j.candidate.inputs, { labelledHistory: j.kind === 'bound' });
}

/** The scores of `model` on a split's held-out half, without and with a profile, and its raw outputs without one. */
function scoresOf(model: KpiModel, split: LeaveOneOutSplit): Pick<Run, 'withoutProfile' | 'withProfile' | 'forecastGain' | 'outputs'> {
  const plain = predictKpi(model, split.scored.withoutProfile);
  const scoreOn = (ws: WindowSet, gain?: number[]) => {
    const { reg, prob } = predictKpi(model, ws);
    if (gain) applyForecastGain(reg, ws.last, gain);
    return score(ws, prob, reg);
  };
  // A profile also carries the forecast gain fitted on the calibration half's own next steps (no labels).
  const calibration = split.calibrationWindows;
  const forecastGain = fitForecastGain(calibration.last, predictKpi(model, calibration).reg, calibration.y);
  return {
    withoutProfile: scoreOn(split.scored.withoutProfile), withProfile: scoreOn(split.scored.withProfile, forecastGain), forecastGain,
    outputs: { prob: Array.from(plain.prob, round6), reg: Array.from(plain.reg, round6) },
  };
}

type Trained = { epochsRun: number; bestEpoch: number; trainSeconds: number; trainWindows?: number };

/** Trains (or adapts) the model of job `j` on `split`. */
function train(j: Job, files: FcciqFile[], s: UnseenSettings, split: LeaveOneOutSplit, name: string): { model: KpiModel; r: Trained; checkpointDir: string } {
  const checkpointDir = join(s.runs, `${name}-checkpoint`);
  if (j.kind === 'adapt') {
    const model = loadRunModel(join(s.runs, 'models', jobName({ ...j, kind: 'outer' }, files, s)));
    const a = adaptOnFirstHalf(model, split, files[j.leftOut], WINDOW, checkpointDir);
    removeCheckpoints(join(checkpointDir, 'member-0'));
    return { model, checkpointDir, r: { epochsRun: a.members[0].epochsRun, bestEpoch: a.members[0].bestEpoch, trainSeconds: a.trainSeconds, trainWindows: a.trainWindows } };
  }
  const model = createKpiModel(j.arch, { hidden: s.hidden, window: WINDOW, context: s.context, seed: j.seed });
  const log = (l: { epoch: number; valLoss: number; valAccuracy: number; best: boolean; seconds: number }) =>
    process.stderr.write(`kpi:unseen: ${name} epoch ${l.epoch} val loss ${l.valLoss.toFixed(4)} acc ${(100 * l.valAccuracy).toFixed(2)}%${l.best ? ' *' : ''} ${l.seconds.toFixed(0)}s\n`);
  const r = trainKpi(model, split.train, split.val, {
    epochs: s.epochs, seed: j.seed, patience: s.patience, levelShiftDb: j.candidate.levelShiftDb, checkpointDir, onEvent: onEpochs(log),
  });
  return { model, r, checkpointDir };
}

/** Trains one model for job `j`, scores it and writes its run(s). */
export function runJob(j: Job, files: FcciqFile[], s: UnseenSettings): void {
  const split = splitOf(j, files);
  const name = jobName(j, files, s);
  process.stderr.write(`kpi:unseen: ${name}: ${split.train.count} training windows, ${split.scored.withProfile.count} scored\n`);
  const cpu = process.cpuUsage();
  const { model, r, checkpointDir } = train(j, files, s, split, name);
  const used = process.cpuUsage(cpu);
  const runOf = (job: Job, sp: LeaveOneOutSplit, trainedBy?: string): Run => ({
    name: jobName(job, files, s), kind: job.kind, leftOut: files[job.leftOut].name, innerLeftOut: job.inner === null ? null : files[job.inner].name,
    arch: job.arch, inputs: job.candidate.name, seed: job.seed, hidden: s.hidden, context: s.context, epochs: r.epochsRun, bestEpoch: r.bestEpoch,
    trainSeconds: r.trainSeconds, trainCpuSeconds: (used.user + used.system) / 1e6, trainWindows: r.trainWindows ?? sp.train.count,
    ...(trainedBy && { trainedBy }), ...scoresOf(model, sp),
  });
  const runs = [runOf(j, split)];
  if (j.kind === 'inner') runs.push(runOf(mirrored(j), splitOf(mirrored(j), files), name));
  // The trained weights stay for --adapt, which fine-tunes them on the left-out file's labelled first half.
  if (j.kind === 'outer') saveModel(join(s.runs, 'models', name), { weights: model.params.vars, manifest: { arch: j.arch, config: model.config } });
  for (const run of runs) writeFileAtomic(join(s.runs, `${run.name}.json`), JSON.stringify(run, null, 2) + '\n');
  removeCheckpoints(checkpointDir);
  for (const v of Object.values(model.params.vars)) v.dispose();
}

/** The finished runs under `s.runs` made with this hidden size and context (a run has a kind; the report, which the default --out writes there too, has none). */
export function readRuns(s: UnseenSettings): Run[] {
  if (!existsSync(s.runs)) return [];
  return readdirSync(s.runs).filter((f) => f.endsWith('.json')).map((f) => JSON.parse(readFileSync(join(s.runs, f), 'utf8')) as Partial<Run>)
    .filter((r): r is Run => typeof r.kind === 'string' && r.hidden === s.hidden && r.context === s.context);
}
