/** Ensembles as one KPI model: the average of the members, saved and loaded as one checksummed model. */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import seedrandom from 'seedrandom';
import { makeTempDir } from '../../helpers/tmp.js';
import { writeFixture } from './fixture.js';
import { loadKpiDataset } from '../../../src/datasets/kpi/fcciq.js';
import type { WindowSet } from '../../../src/datasets/kpi/windows.js';
import { initEngine, tf } from '../../../src/dnn/engine.js';
import { disposeKpiModel, type KpiModel } from '../../../src/dnn/kpi/base.js';
import { KpiEnsemble, memberWeightName } from '../../../src/dnn/kpi/ensemble.js';
import { ensembleMembers, runKpiEnsembleTraining } from '../../../src/dnn/kpi/ensemble-pipeline.js';
import { loadKpiModel } from '../../../src/dnn/kpi/model.js';
import { predictKpi } from '../../../src/dnn/kpi/predict.js';
import { createKpiModel } from '../../../src/dnn/kpi/registry.js';
import { copyModel, modelFilePath, ModelFileError } from '../../../src/dnn/model-io.js';

let tmp: ReturnType<typeof makeTempDir>;
beforeAll(async () => {
  await initEngine();
  tmp = makeTempDir();
});
afterAll(() => tmp.cleanup());

/** A model with every weight random (fresh heads start at zero, which would hide a member). */
function randomModel(arch: string, config: { hidden: number; window: number; context: number }, seed: number): KpiModel {
  const model = createKpiModel(arch, { ...config, seed });
  const rng = seedrandom(`ensemble-${arch}-${seed}`);
  for (const v of Object.values(model.params.vars)) v.assign(tf.tensor(Float32Array.from({ length: v.size }, () => (rng() - 0.5) * 0.8), v.shape));
  return model;
}

function randomWindows(count: number, T: number): WindowSet {
  const rng = seedrandom('ensemble-windows');
  const x = Float32Array.from({ length: count * T * 3 }, () => rng());
  const last = new Float32Array(count * 3);
  for (let b = 0; b < count; b++) last.set(x.subarray((b * T + T - 1) * 3, (b * T + T) * 3), b * 3);
  return { count, window: T, features: 3, x, y: new Float32Array(count * 3), last, label: new Int32Array(count), range: new Float32Array(count * 3).fill(1), source: new Int32Array(count) };
}

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

/** The members' mean probability and forecast, each member run on its own. */
function membersMean(members: readonly KpiModel[], ws: WindowSet): { prob: Float32Array; reg: Float32Array } {
  const outs = members.map((m) => predictKpi(m, ws));
  const mean = (pick: (o: (typeof outs)[0]) => Float32Array) => pick(outs[0]).map((_, i) => outs.reduce((s, o) => s + pick(o)[i], 0) / outs.length);
  return { prob: mean((o) => o.prob), reg: mean((o) => o.reg) };
}

test('its probability and forecast are the means of its members\' (mixed architectures, sizes and contexts)', () => {
  const members = [randomModel('ple', { hidden: 8, window: 9, context: 7 }, 1), randomModel('mmoe', { hidden: 6, window: 9, context: 4 }, 2), randomModel('stl', { hidden: 4, window: 9, context: 9 }, 3)];
  const ensemble = new KpiEnsemble(members);
  const ws = randomWindows(30, 9);
  const got = predictKpi(ensemble, ws);
  const want = membersMean(members, ws);
  expect(maxDiff(got.prob, want.prob)).toBeLessThan(1e-6);
  expect(maxDiff(got.reg, want.reg)).toBeLessThan(1e-6);
  // Not trivially equal to one member: the members disagree.
  expect(maxDiff(predictKpi(members[0], ws).prob, want.prob)).toBeGreaterThan(1e-3);
  expect(ensemble.config).toMatchObject({ arch: 'ensemble', window: 9, context: 9, hidden: 8 });
  expect(ensemble.macs()).toBe(members.reduce((s, m) => s + m.macs(), 0));
  expect(Object.keys(ensemble.params.vars)).toContain(memberWeightName(1, 'lstm.wx'));
  disposeKpiModel(ensemble);
});

test('refuses fewer than two members and members of different window lengths', () => {
  const a = randomModel('ple', { hidden: 4, window: 9, context: 4 }, 1);
  const b = randomModel('ple', { hidden: 4, window: 8, context: 4 }, 2);
  expect(() => new KpiEnsemble([a])).toThrow('an ensemble needs at least 2 members, got 1');
  expect(() => new KpiEnsemble([a, b])).toThrow('ensemble member 1 has window 8, member 0 has 9');
  expect(() => ensembleMembers(1, ['ple'], 3)).toThrow('at least 2 members');
  expect(ensembleMembers(4, ['ple', 'mmoe'], 3)).toEqual([{ arch: 'ple', seed: 3 }, { arch: 'mmoe', seed: 3 }, { arch: 'ple', seed: 4 }, { arch: 'mmoe', seed: 4 }]);
  disposeKpiModel(a);
  disposeKpiModel(b);
});

describe('a trained ensemble saved as one model', () => {
  let dir: string;
  let data: ReturnType<typeof loadKpiDataset>;
  beforeAll(() => {
    writeFixture(join(tmp.dir, 'csv'), { files: 2, rows: 200 });
    data = loadKpiDataset(join(tmp.dir, 'csv'), 6, {}, 'pooled');
    dir = join(tmp.dir, 'ens');
    runKpiEnsembleTraining({ dataDir: join(tmp.dir, 'csv'), out: dir, epochs: 2, hidden: 6, window: 6, context: 4, backend: 'wasm', data, members: ensembleMembers(3, ['ple', 'hard-sharing'], 1) });
  });

  test('loads through the one loader, answers as the mean of its members, and records each member', () => {
    const { model, manifest } = loadKpiModel(dir);
    expect(model).toBeInstanceOf(KpiEnsemble);
    expect(manifest.arch).toBe('ensemble');
    expect(manifest.members?.map((m) => [m.arch, m.config.seed])).toEqual([['ple', 1], ['hard-sharing', 1], ['ple', 2]]);
    const members = (model as KpiEnsemble).members;
    const got = predictKpi(model, data.test);
    const want = membersMean(members, data.test);
    expect(maxDiff(got.prob, want.prob)).toBeLessThan(1e-6);
    expect(maxDiff(got.reg, want.reg)).toBeLessThan(1e-6);
    // Each member's recorded test accuracy is that member's, and the ensemble's own is recorded beside them.
    const memberAcc = predictKpi(members[1], data.test).prob.reduce((s, p, i) => s + ((p >= 0.5 ? 1 : 0) === data.test.label[i] ? 1 : 0), 0) / data.test.count;
    expect(manifest.members?.[1].test?.accuracy).toBeCloseTo(memberAcc, 10);
    expect(manifest.training.trainSeconds).toBeCloseTo((manifest.members ?? []).reduce((s, m) => s + m.training.trainSeconds, 0), 6);
    disposeKpiModel(model);
  });

  test('a corrupted member is refused: changed weight bytes, or a member weight gone from a re-checksummed model.json', () => {
    const before = tf.memory().numTensors;
    const copy = join(tmp.dir, 'corrupt');
    // Weight bytes of the last member changed: the checksum recorded for weights.bin no longer holds.
    copyModel(dir, copy);
    const json = JSON.parse(readFileSync(modelFilePath(copy, 'model.json'), 'utf8')) as { weightSpecs: Array<{ name: string; offset: number }> };
    const spec = json.weightSpecs.find((s) => s.name === memberWeightName(2, 'lstm.wx'));
    const bin = readFileSync(modelFilePath(copy, 'weights.bin'));
    bin[(spec?.offset ?? 0) + 1] ^= 0xff;
    writeFileSync(modelFilePath(copy, 'weights.bin'), bin);
    expect(() => loadKpiModel(copy)).toThrow(ModelFileError);
    // A member's weight removed from model.json, every checksum updated: refused by name.
    const copy2 = join(tmp.dir, 'missing');
    copyModel(dir, copy2);
    const file = modelFilePath(copy2, 'model.json');
    const j2 = JSON.parse(readFileSync(file, 'utf8')) as { weightSpecs: Array<{ name: string }> };
    j2.weightSpecs = j2.weightSpecs.filter((s) => s.name !== memberWeightName(1, 'tower.cls.2.b'));
    const text = JSON.stringify(j2);
    writeFileSync(file, text);
    const pointer = JSON.parse(readFileSync(join(copy2, 'current.json'), 'utf8'));
    pointer.files['model.json'] = { sha256: createHash('sha256').update(text).digest('hex'), bytes: Buffer.byteLength(text) };
    writeFileSync(join(copy2, 'current.json'), JSON.stringify(pointer));
    expect(() => loadKpiModel(copy2)).toThrow(`weight '${memberWeightName(1, 'tower.cls.2.b')}' is missing`);
    expect(tf.memory().numTensors).toBe(before);
  });
});
