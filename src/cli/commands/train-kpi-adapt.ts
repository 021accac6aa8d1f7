/**
 * `radio-mtl train kpi --from MODEL --data DIR [--out M]`: fine-tunes a saved KPI model
 * (single or ensemble) on the labelled rows of one cell's FccIQ-style CSVs
 * (src/dnn/kpi/adapt.ts) and saves it as a new model: same architecture, same saved
 * scalers (the rows are scaled with the model's pooled serving scaler, as the API's default
 * path scales that cell), the adaptation recorded in the manifest.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadFcciqFiles } from '../../datasets/kpi/fcciq.js';
import { tf } from '../../dnn/engine.js';
import { ADAPT_DEFAULTS, adaptationWindows, adaptKpiModel } from '../../dnn/kpi/adapt.js';
import { disposeKpiModel } from '../../dnn/kpi/base.js';
import { loadKpiModel, saveKpiModel, type KpiModelManifest } from '../../dnn/kpi/model.js';
import { KPI_BATCH_SIZE } from '../../dnn/kpi/recipe.js';
import type { EpochLog } from '../../dnn/kpi/trainer.js';
import { removeCheckpoints } from '../../dnn/training/checkpoint.js';
import { InputError } from '../../input-error.js';
import { pooledScaler } from '../../dnn/kpi/servable.js';
import { VERSION } from '../../version.js';
import { initEngineFromOption } from '../engine-option.js';
import { underOption, writingTo } from '../errors.js';
import { reportingDivergence, trainingProgress } from './train-progress.js';

/** Options of `train kpi` that define a new model, refused with --from (the saved model's settings stay). */
export const NEW_MODEL_OPTIONS = [
  { key: 'arch', flag: '--arch' }, { key: 'ensemble', flag: '--ensemble' }, { key: 'hidden', flag: '--hidden' }, { key: 'window', flag: '--window' },
  { key: 'context', flag: '--context' }, { key: 'seeds', flag: '--seeds' }, { key: 'weighting', flag: '--weighting' }, { key: 'ema', flag: '--ema' },
  { key: 'inputs', flag: '--inputs' }, { key: 'levelShiftDb', flag: '--level-shift-db' }, { key: 'residual', flag: '--no-residual' },
] as const;

export interface AdaptCliOptions {
  from: string;
  data: string;
  out?: string;
  epochs?: number;
  patience?: number;
  seed?: number;
  backend?: string;
  json?: boolean;
  quiet?: boolean;
}

export async function adaptFromOptions(o: AdaptCliOptions): Promise<void> {
  const out = o.out ?? `${o.from.replace(/[/\\]+$/, '')}-adapted`;
  if (!o.out && existsSync(out)) throw new InputError('--out', `not given, and the default '${out}' exists; name the directory to write with --out (a model there is replaced)`);
  const backend = await initEngineFromOption(o.backend);
  const { files, sha256 } = loadFcciqFiles(o.data);
  const { model, manifest, weightsSha256 } = underOption('--from', () => loadKpiModel(o.from));
  try {
    const { train, val } = underOption('--data', () => {
      try {
        return adaptationWindows(files, pooledScaler(manifest.scalers), manifest.window);
      } catch (err) {
        throw new InputError((err as Error).message);
      }
    });
    const options = { epochs: o.epochs ?? ADAPT_DEFAULTS.epochs, patience: o.patience ?? ADAPT_DEFAULTS.patience, lr: ADAPT_DEFAULTS.lr, seed: o.seed ?? ADAPT_DEFAULTS.seed };
    const members = manifest.members?.length ?? 1;
    const progress = trainingProgress<EpochLog>(`adapt ${o.from}`, options.epochs * members * Math.ceil(train.count / KPI_BATCH_SIZE), {
      quiet: o.quiet,
      epochLine: (l) => `epoch ${l.epoch} val loss ${l.valLoss.toFixed(4)} val acc ${(100 * l.valAccuracy).toFixed(2)}%${l.best ? ' *' : ''}`,
    });
    const checkpointDir = join(out, 'checkpoint');
    let r;
    try {
      r = reportingDivergence(() => adaptKpiModel(model, train, val, { ...options, checkpointDir, onEvent: progress.listener }));
    } finally {
      progress.stop();
    }
    const adapted: KpiModelManifest = {
      ...manifest, backend: tf.getBackend(), toolVersion: VERSION, createdAt: new Date().toISOString(),
      adaptation: {
        from: { model: o.from, weightsSha256 },
        data: { files: files.map((f) => ({ name: f.name, sha256: sha256[f.name], rows: f.labels.length })) },
        scaler: 'pooled', valFraction: ADAPT_DEFAULTS.valFraction, options, before: r.before, after: r.after,
        members: r.members.map((m) => ({ epochsRun: m.epochsRun, bestEpoch: m.bestEpoch, bestValLoss: m.bestValLoss, trainSeconds: m.trainSeconds })),
        trainSeconds: r.trainSeconds,
      },
    };
    writingTo('--out', out, () => saveKpiModel(out, model, adapted));
    for (let i = 0; i < members; i++) removeCheckpoints(join(checkpointDir, `member-${i}`));
    removeCheckpoints(checkpointDir);
    if (o.json) {
      process.stdout.write(`${JSON.stringify({ model: out, backend, trainWindows: train.count, valWindows: val.count, ...adapted.adaptation }, null, 2)}\n`);
    } else {
      const pct = (x: number) => `${(100 * x).toFixed(2)}%`;
      process.stdout.write(`\nadapted ${o.from} -> ${out} on ${train.count} windows (${val.count} validate): validation loss ${r.before.loss.toFixed(4)} -> ${r.after.loss.toFixed(4)}, accuracy ${pct(r.before.accuracy)} -> ${pct(r.after.accuracy)}, ${r.trainSeconds.toFixed(1)} s\n`);
    }
  } finally {
    disposeKpiModel(model);
  }
}
