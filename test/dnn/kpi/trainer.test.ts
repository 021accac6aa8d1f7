import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir } from '../../helpers/tmp.js';
import { writeFixture } from './fixture.js';
import { initEngine } from '../../../src/dnn/engine.js';
import { KPI_KEYS, loadKpiDataset } from '../../../src/datasets/fcciq.js';
import { createKpiModel, KPI_ARCHS } from '../../../src/dnn/kpi/registry.js';
import { predictKpi, trainKpi, validationLoss } from '../../../src/dnn/kpi/trainer.js';
import { evaluateKpi, loadKpiModel, runKpiTraining } from '../../../src/dnn/kpi/run.js';
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
