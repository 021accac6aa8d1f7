import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir } from '../../helpers/tmp.js';
import { writeFixture } from './fixture.js';
import { initEngine } from '../../../src/dnn/engine.js';
import { KPI_KEYS, loadFcciqFiles, loadKpiDataset, splitSizes } from '../../../src/datasets/kpi/fcciq.js';
import { makeKpiLoader } from '../../../src/server/loaders.js';
import { createKpiModel, KPI_ARCHS } from '../../../src/dnn/kpi/registry.js';
import { predictKpi } from '../../../src/dnn/kpi/predict.js';
import { trainKpi, validationLoss, type EpochLog } from '../../../src/dnn/kpi/trainer.js';
import type { TrainingEvent } from '../../../src/dnn/training/events.js';
import { TrainingDivergedError } from '../../../src/dnn/training/finite-loss.js';
import { loadKpiModel } from '../../../src/dnn/kpi/model.js';
import { evaluateKpi, runKpiTraining } from '../../../src/dnn/kpi/pipeline.js';
import { ModelFileError, modelFilePath } from '../../../src/dnn/model-io.js';

const W = 6;
let tmp: ReturnType<typeof makeTempDir>;
let data: ReturnType<typeof loadKpiDataset>;

beforeAll(async () => {
  await initEngine();
  tmp = makeTempDir();
  writeFixture(join(tmp.dir, 'csv'), { files: 2, rows: 110 });
  data = loadKpiDataset(join(tmp.dir, 'csv'), W);
});
afterAll(() => tmp.cleanup());

describe('KPI trainer', () => {
  it.each(KPI_ARCHS)('%s: two epochs lower the loss on the training windows; best-validation weights restored', (arch) => {
    const m = createKpiModel(arch, { hidden: 8, window: W, seed: 1 });
    const before = validationLoss(m, data.train).loss;
    const r = trainKpi(m, data.train, data.val, { epochs: 2, seed: 1, batchSize: 32, lr: 1e-2 });
    expect(r.history).toHaveLength(2);
    expect(validationLoss(m, data.train).loss).toBeLessThan(before);
    expect(validationLoss(m, data.val).loss).toBeCloseTo(r.bestValLoss, 5);
  });

  it.each(['uncertainty', 'gradnorm'] as const)('%s weighting trains one epoch', (weighting) => {
    const m = createKpiModel('mmoe', { hidden: 8, window: W, seed: 1 });
    const r = trainKpi(m, data.train, data.val, { epochs: 1, seed: 1, batchSize: 32, weighting });
    expect(Number.isFinite(r.bestValLoss)).toBe(true);
    expect(r.history[0].weights).toHaveLength(4);
    if (weighting === 'gradnorm') expect(r.history[0].weights.reduce((a, b) => a + b, 0)).toBeCloseTo(4, 5);
  });

  it('resuming from the per-epoch checkpoint gives exactly the uninterrupted result', () => {
    const dirA = join(tmp.dir, 'ckA');
    const dirB = join(tmp.dir, 'ckB');
    const a = createKpiModel('attention', { hidden: 8, window: W, seed: 4 });
    const ra = trainKpi(a, data.train, data.val, { epochs: 3, seed: 4, batchSize: 32, checkpointDir: dirA });
    const b1 = createKpiModel('attention', { hidden: 8, window: W, seed: 4 });
    trainKpi(b1, data.train, data.val, { epochs: 2, seed: 4, batchSize: 32, checkpointDir: dirB });
    // "Crash" after epoch 2: a fresh model picks up at epoch 2 and runs the third.
    const b2 = createKpiModel('attention', { hidden: 8, window: W, seed: 4 });
    const rb = trainKpi(b2, data.train, data.val, { epochs: 3, seed: 4, batchSize: 32, checkpointDir: dirB });
    expect(rb.resumedFrom).toBe(2);
    expect(rb.history.map((h) => h.valLoss)).toEqual(ra.history.map((h) => h.valLoss));
    expect(Array.from(predictKpi(b2, data.test).reg)).toEqual(Array.from(predictKpi(a, data.test).reg));
    // A finished run returns at once.
    const b3 = createKpiModel('attention', { hidden: 8, window: W, seed: 4 });
    expect(trainKpi(b3, data.train, data.val, { epochs: 3, seed: 4, batchSize: 32, checkpointDir: dirB }).resumedFrom).toBe(3);
  });

  it('killed mid-epoch, a run resumes from its last epoch and ends with the weights of an uninterrupted run', () => {
    const opts = { epochs: 3, seed: 5, batchSize: 32, weighting: 'gradnorm' as const };
    const a = createKpiModel('cross-stitch', { hidden: 8, window: W, seed: 5 });
    const ra = trainKpi(a, data.train, data.val, opts);
    const stepsPerEpoch = Math.ceil(data.train.count / 32);
    const checkpointDir = join(tmp.dir, 'ckKilled');
    const killAt = 2 * stepsPerEpoch + 1; // the first step of epoch 3
    const kill = (e: TrainingEvent<EpochLog>) => {
      if (e.type === 'step' && e.step === killAt) throw new Error('killed');
    };
    expect(() => trainKpi(createKpiModel('cross-stitch', { hidden: 8, window: W, seed: 5 }), data.train, data.val, { ...opts, checkpointDir, onEvent: kill })).toThrow('killed');
    const events: TrainingEvent<EpochLog>[] = [];
    const b = createKpiModel('cross-stitch', { hidden: 8, window: W, seed: 5 });
    const rb = trainKpi(b, data.train, data.val, { ...opts, checkpointDir, onEvent: (e) => events.push(e) });
    expect(events[0]).toEqual({ type: 'resumed', step: 2 * stepsPerEpoch, total: 3 * stepsPerEpoch });
    expect(rb.resumedFrom).toBe(2);
    expect(rb.weighting).toEqual(ra.weighting);
    expect(rb.history.map((h) => [h.valLoss, h.weights])).toEqual(ra.history.map((h) => [h.valLoss, h.weights]));
    for (const [k, v] of Object.entries(b.params.vars)) expect(Array.from(v.dataSync())).toEqual(Array.from(a.params.vars[k].dataSync()));
  });

  it('a diverging run stops at the step whose loss is not finite, naming it', () => {
    const run = () => trainKpi(createKpiModel('stl', { hidden: 8, window: W, seed: 1 }), data.train, data.val, { epochs: 2, seed: 1, batchSize: 32, lr: 1e30 });
    expect(run).toThrow(TrainingDivergedError);
    expect(run).toThrow(/^training diverged at step 2 \(loss NaN\); lower the learning rate/);
  });

  it('a corrupted checkpoint is refused, naming the folder to delete, not silently restarted', () => {
    const dir = join(tmp.dir, 'ckBad');
    trainKpi(createKpiModel('hard-sharing', { hidden: 8, window: W, seed: 2 }), data.train, data.val, { epochs: 1, seed: 2, batchSize: 32, checkpointDir: dir });
    const weights = modelFilePath(join(dir, 'latest'), 'weights.bin');
    const bytes = readFileSync(weights);
    bytes[0] ^= 0xff;
    writeFileSync(weights, bytes);
    const again = () => trainKpi(createKpiModel('hard-sharing', { hidden: 8, window: W, seed: 2 }), data.train, data.val, { epochs: 2, seed: 2, batchSize: 32, checkpointDir: dir });
    expect(again).toThrow(ModelFileError);
    expect(again).toThrow(/checkpoint refused \(delete .*latest to start the run over\): .*weights\.bin: sha256/);
  });

  it('weight EMA: validates the averaged weights and resumes exactly', () => {
    const plain = createKpiModel('mmoe', { hidden: 8, window: W, seed: 7 });
    const rp = trainKpi(plain, data.train, data.val, { epochs: 2, seed: 7, batchSize: 32 });
    const a = createKpiModel('mmoe', { hidden: 8, window: W, seed: 7 });
    const ra = trainKpi(a, data.train, data.val, { epochs: 2, seed: 7, batchSize: 32, ema: 0.9 });
    expect(ra.history.map((h) => h.valLoss)).not.toEqual(rp.history.map((h) => h.valLoss));
    const dir = join(tmp.dir, 'ckEma');
    trainKpi(createKpiModel('mmoe', { hidden: 8, window: W, seed: 7 }), data.train, data.val, { epochs: 1, seed: 7, batchSize: 32, ema: 0.9, checkpointDir: dir });
    const b = createKpiModel('mmoe', { hidden: 8, window: W, seed: 7 });
    const rb = trainKpi(b, data.train, data.val, { epochs: 2, seed: 7, batchSize: 32, ema: 0.9, checkpointDir: dir });
    expect(rb.history.map((h) => h.valLoss)).toEqual(ra.history.map((h) => h.valLoss));
    expect(Array.from(predictKpi(b, data.test).reg)).toEqual(Array.from(predictKpi(a, data.test).reg));
  });

  it('level shifts: seeded and reproducible, off at 0 (the result of a run without the option)', () => {
    const run = (levelShiftDb?: number) => {
      const m = createKpiModel('hard-sharing', { hidden: 4, window: W, seed: 5 });
      const r = trainKpi(m, data.train, data.val, { epochs: 1, seed: 5, batchSize: 32, levelShiftDb });
      return { losses: r.history.map((h) => h.valLoss), reg: Array.from(predictKpi(m, data.test).reg) };
    };
    const plain = run();
    expect(run(0)).toEqual(plain);
    const shifted = run(3);
    expect(shifted.losses).not.toEqual(plain.losses);
    expect(run(3)).toEqual(shifted);
  });

  it("a 'pooled' model served: the API's default path gives exactly the evaluated predictions", async () => {
    const out = join(tmp.dir, 'pooled', 'kpi-pooled');
    const r = runKpiTraining({ arch: 'ple', dataDir: join(tmp.dir, 'csv'), out, epochs: 1, hidden: 8, window: W, seed: 1, inputs: 'pooled', backend: 'wasm' });
    expect(r.manifest.inputs).toBe('pooled');
    const [first, ...rest] = Object.values(r.manifest.scalers);
    for (const s of rest) expect(s).toEqual(first);
    const pooledData = loadKpiDataset(join(tmp.dir, 'csv'), W, {}, 'pooled');
    const evaluated = predictKpi(loadKpiModel(out).model, pooledData.test);
    // The same test windows, raw, as a client sends them.
    const raw: number[][][] = [];
    for (const f of loadFcciqFiles(join(tmp.dir, 'csv')).files) {
      const s = splitSizes(f.labels.length);
      for (let a = s.train + s.val; a + W < f.labels.length; a++) raw.push(Array.from({ length: W }, (_, t) => Array.from(f.values.subarray((a + t) * 3, (a + t) * 3 + 3))));
    }
    expect(raw).toHaveLength(pooledData.test.count);
    const served = await makeKpiLoader({ engine: { engine: 'tfjs' } }).load(out, 'kpi-pooled');
    if (served.kind !== 'kpi') throw new Error('not a KPI model');
    const predictions = await served.predict(raw);
    predictions.forEach((p, k) => expect(p.interferenceProbability).toBeCloseTo(evaluated.prob[k], 6));
  });

  it('early stopping stops after `patience` epochs without improvement', () => {
    const m = createKpiModel('hard-sharing', { hidden: 8, window: W, seed: 2 });
    const r = trainKpi(m, data.train, data.val, { epochs: 30, seed: 2, batchSize: 32, lr: 0.05, patience: 1 });
    expect(r.stoppedEarly).toBe(true);
    expect(r.epochsRun).toBe(r.bestEpoch + 1);
  });

  it('save/load gives identical outputs, with scalers and manifest; checkpoints removed', () => {
    const out = join(tmp.dir, 'model');
    const r = runKpiTraining({ arch: 'ple', dataDir: join(tmp.dir, 'csv'), out, epochs: 1, hidden: 8, window: W, seed: 1, backend: 'wasm' });
    expect(r.manifest.scalers['Lvl_0_fixture.csv'].min).toHaveLength(3);
    expect(r.manifest.test.metrics.count).toBe(data.test.count);
    expect(readdirSync(out).sort()).toEqual(['current.json', 'v1']);
    const { model, manifest } = loadKpiModel(out);
    expect(manifest.arch).toBe('ple');
    // The loaded model scores the test split exactly as the trained one did before saving.
    const trained = r.manifest.test.metrics;
    const loaded = evaluateKpi(model, data.test).metrics;
    expect(loaded.count).toBe(data.test.count);
    expect(loaded.crossEntropy).toBeCloseTo(trained.crossEntropy, 6);
    for (const k of KPI_KEYS) expect(loaded.mse[k]).toBeCloseTo(trained.mse[k], 9);
    expect(existsSync(join(out, 'checkpoint'))).toBe(false);
  });
});
