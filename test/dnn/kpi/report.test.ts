/** The reproduce:kpi summary gives the seeds' spread (min-max) beside the mean. */
import { summarize, type RunRecord, type TestPredictions } from '../../../src/dnn/kpi/report.js';
import { seedEnsembles } from '../../../src/dnn/kpi/seed-ensembles.js';

const perKpi = (v: number) => ({ rsrp: v, rsrq: v, sinr: v });

function record(seed: number, accuracy: number, balancedAccuracy: number): RunRecord {
  const metrics = { accuracy, balancedAccuracy, f1: 0.9, auc: 0.95, majorityAccuracy: 0.65, totalLoss: 0.3, regLoss: 0.01, crossEntropy: 0.2, mse: perKpi(1e-3), persistenceMse: perKpi(2e-3), rmsePhysical: perKpi(1), persistenceRmsePhysical: perKpi(1.1) };
  const manifest = {
    config: { hidden: 64, context: 10 }, window: 35,
    training: { epochsRun: 25, bestEpoch: 20, trainSeconds: 100, stepMs: 50, options: { weighting: 'equal' } },
    test: { metrics, params: 10, macs: 20, timings: { testSeconds: 1, latencyBatch1Ms: 2, latencyBatchedMs: 0.1 } },
  };
  return { arch: 'ple', seed, dir: `run-${seed}`, manifest, sizeBytes: 1000 } as unknown as RunRecord;
}

test('accuracy and balanced accuracy come with their lowest and highest seed', () => {
  const [s] = summarize([record(2, 0.95, 0.93), record(1, 0.94, 0.95), record(3, 0.96, 0.91)]);
  expect(s.seeds).toEqual([1, 2, 3]);
  expect(s.accuracy.mean).toBeCloseTo(0.95, 12);
  expect(s.accuracyRange).toEqual([0.94, 0.96]);
  expect(s.balancedAccuracyRange).toEqual([0.91, 0.95]);
});

test('an ensemble of the seeds is scored on their mean probability, per architecture with two seeds or more', () => {
  const pred = (prob: number[]): TestPredictions => ({ file: 'a.csv', sinrTrue: [], sinrPred: [], sinrLast: [], probInterference: [], label: [], testProb: prob, testLabel: [0, 1, 1, 0] });
  // Seed 1 misses window 2, seed 2 false-alarms on window 3; their mean gets all four right.
  const preds = new Map([['a1', pred([0.1, 0.9, 0.3, 0.2])], ['a2', pred([0.2, 0.8, 0.9, 0.6])], ['b1', pred([0.9, 0.9, 0.9, 0.9])]]);
  const runs = [{ arch: 'ple', seed: 2, dir: 'a2' }, { arch: 'ple', seed: 1, dir: 'a1' }, { arch: 'mmoe', seed: 1, dir: 'b1' }];
  expect(seedEnsembles(runs, preds)).toEqual([{ arch: 'ple', seeds: [1, 2], accuracy: 1, balancedAccuracy: 1 }]);
  preds.set('a2', pred([0.9, 0.9, 0.9, 0.9]));
  expect(seedEnsembles(runs, preds)[0]).toMatchObject({ accuracy: 0.5, balancedAccuracy: 0.5 });
  // Runs saved before the whole-split probabilities were kept are left out.
  const { testProb: _dropped, ...old } = pred([0.1, 0.9, 0.3, 0.2]);
  preds.set('a2', old);
  expect(seedEnsembles(runs, preds)).toEqual([]);
});
