/**
 * Training an ensemble end to end (`radio-mtl train kpi --ensemble K`): the members one after
 * the other on the same data (each with its own resumable checkpoints under the output
 * directory), then ONE model directory holding all of them (src/dnn/kpi/ensemble.ts),
 * evaluated on the test split as one model, with each member's own test metrics recorded.
 */
import { join } from 'node:path';
import { loadKpiDataset } from '../../datasets/kpi/fcciq.js';
import { removeCheckpoints } from '../training/checkpoint.js';
import { disposeKpiModel, type KpiModel } from './base.js';
import { KpiEnsemble, ENSEMBLE_ARCH } from './ensemble.js';
import { buildKpiManifest, saveKpiModel, type KpiMemberRecord, type KpiModelManifest } from './model.js';
import { evaluateKpi, type KpiRunOptions, type KpiRunResult } from './pipeline.js';
import { KPI_OPTIMISER, KPI_RECIPE } from './recipe.js';
import { createKpiModel, type KpiArch } from './registry.js';
import { trainKpi, validationLoss } from './trainer.js';

export interface EnsembleMember {
  arch: KpiArch;
  seed: number;
}

/**
 * The members of `--ensemble K` over the architectures `archs`: member i has architecture
 * archs[i mod A] and seed firstSeed + floor(i / A) (so PLE and MMoE alternate, each over seeds).
 */
export function ensembleMembers(k: number, archs: readonly KpiArch[], firstSeed: number): EnsembleMember[] {
  if (!Number.isInteger(k) || k < 2) throw new Error(`an ensemble needs at least 2 members, got ${k}`);
  if (archs.length === 0) throw new Error('an ensemble needs at least one architecture');
  return Array.from({ length: k }, (_, i) => ({ arch: archs[i % archs.length], seed: firstSeed + Math.floor(i / archs.length) }));
}

/** The ensemble's training record: the members' total epochs and time, and the ensemble's own validation loss. */
function ensembleTraining(members: KpiMemberRecord[], valLoss: number, options: Record<string, unknown>): KpiModelManifest['training'] {
  const trainings = members.map((m) => m.training);
  const seconds = trainings.reduce((a, t) => a + t.trainSeconds, 0);
  return {
    epochsRun: trainings.reduce((a, t) => a + t.epochsRun, 0),
    bestEpoch: 0,
    bestValLoss: valLoss,
    stoppedEarly: trainings.some((t) => t.stoppedEarly),
    history: [],
    trainSeconds: seconds,
    stepMs: trainings.reduce((a, t) => a + t.stepMs, 0) / trainings.length,
    weighting: trainings[0].weighting,
    resumedFrom: 0,
    options: { ...options, members: members.map((m) => ({ arch: m.arch, seed: m.config.seed })) },
  };
}

/** Trains the members (resuming each from its checkpoints), evaluates the ensemble and saves it to `o.out`. */
export function runKpiEnsembleTraining(o: Omit<KpiRunOptions, 'arch' | 'seed' | 'sidecars'> & { members: EnsembleMember[] }): KpiRunResult {
  const data = o.data ?? loadKpiDataset(o.dataDir, o.window, {}, o.inputs);
  const checkpointRoot = o.checkpointDir ?? join(o.out, 'checkpoint');
  const options = { epochs: o.epochs, weighting: o.weighting ?? KPI_RECIPE.weighting, patience: o.patience ?? 0, ema: o.ema ?? 0, batchSize: KPI_OPTIMISER.batchSize, lr: KPI_OPTIMISER.lr, weightDecay: KPI_OPTIMISER.weightDecay, ...(o.levelShiftDb ? { levelShiftDb: o.levelShiftDb } : {}) };
  const models: KpiModel[] = [];
  const records: KpiMemberRecord[] = [];
  try {
    for (const [i, m] of o.members.entries()) {
      const model = createKpiModel(m.arch, { hidden: o.hidden, window: data.window, context: o.context, seed: m.seed, residual: o.residual ?? KPI_RECIPE.residual });
      models.push(model);
      const result = trainKpi(model, data.train, data.val, { ...options, seed: m.seed, checkpointDir: join(checkpointRoot, `member-${i}`), onEvent: o.onEvent });
      records.push({ arch: m.arch, config: model.config, training: { ...result, options: { ...options, seed: m.seed } }, test: evaluateKpi(model, data.test, false).metrics });
    }
    const ensemble = new KpiEnsemble(models);
    const training = ensembleTraining(records, validationLoss(ensemble, data.val).loss, options);
    const manifest: KpiModelManifest = { ...buildKpiManifest(ensemble, ENSEMBLE_ARCH, data, training, evaluateKpi(ensemble, data.test)), members: records };
    const sizeBytes = saveKpiModel(o.out, ensemble, manifest);
    if (!o.keepCheckpoints) {
      o.members.forEach((_, i) => removeCheckpoints(join(checkpointRoot, `member-${i}`)));
      removeCheckpoints(checkpointRoot);
    }
    return { manifest, sizeBytes };
  } finally {
    for (const m of models) disposeKpiModel(m);
  }
}
