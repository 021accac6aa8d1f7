import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initEngine, tf } from '../../../src/dnn/engine.js';
import { allocateInterference } from '../../../src/dnn/interference/allocate.js';
import { baselineRates, evaluationChannels, modelRate } from '../../../src/dnn/interference/evaluate.js';
import { loadInterferenceModel, saveInterferenceModel } from '../../../src/dnn/interference/model.js';
import { trainInterference, type InterferenceTrainOptions } from '../../../src/dnn/interference/trainer.js';
import { INTERFERENCE_DEFAULTS } from '../../../src/solvers/params.js';

beforeAll(async () => {
  await initEngine();
});

const base: InterferenceTrainOptions = {
  scheme: 'routed',
  sizes: [2, 3],
  params: INTERFERENCE_DEFAULTS,
  seed: 3,
  t1: 30,
  t2: 60,
  batchPerTask: 16,
  learningRate: 1e-2,
  logitPenalty: 1e-3,
  lrDecayStart: 0.8,
  lrDecayFloor: 0.1,
  hiddenWidths: [16, 16, 16],
  heads: 1,
  headSoftness: 0.01,
};

const weightsOf = (net: { namedWeights(): Record<string, tf.Tensor> }) => Object.fromEntries(Object.entries(net.namedWeights()).map(([k, t]) => [k, Array.from(t.dataSync())]));

describe('interference trainer', () => {
  /**
   * The checks every trained variant passes: beats random power on fresh K = 3 channels, answers
   * in [0, Pmax], and a saved and loaded copy answers alike; `more` adds checks on the loaded model.
   */
  function expectTrainedAndRoundTrips(r: ReturnType<typeof trainInterference>, o: InterferenceTrainOptions, more: (loaded: ReturnType<typeof loadInterferenceModel>) => void): void {
    const k = 3;
    const gains = evaluationChannels(INTERFERENCE_DEFAULTS, 9, k, 300);
    const row = modelRate(r.net, r.scale, INTERFERENCE_DEFAULTS, gains, 300, k);
    const baselines = baselineRates(INTERFERENCE_DEFAULTS, gains, 300, k, 9);
    if (!('rate' in row)) throw new Error(row.error);
    expect(row.rate).toBeGreaterThan(baselines.randomPower);
    expect(row.minPower).toBeGreaterThanOrEqual(0);
    expect(row.maxPower).toBeLessThanOrEqual(1);
    const dir = mkdtempSync(join(tmpdir(), 'ic-model-'));
    try {
      saveInterferenceModel(dir, r.net, { params: INTERFERENCE_DEFAULTS, scale: r.scale, training: { ...o, trainSeconds: r.trainSeconds, backend: 'test' } });
      const loaded = loadInterferenceModel(dir);
      expect(Array.from(allocateInterference(loaded.net, loaded.manifest.scale, gains, 300, k))).toEqual(Array.from(allocateInterference(r.net, r.scale, gains, 300, k)));
      more(loaded);
      loaded.net.dispose();
    } finally {
      rmSync(dir, { recursive: true, force: true });
      r.net.dispose();
    }
  }

  it('routed: learns to beat random power on fresh channels, answers in [0, Pmax], binary masks, saves and loads the same answers', () => {
    const r = trainInterference(base);
    expect(r.steps).toBe(90);
    expect(r.maskDensity).toHaveLength(2);
    expectTrainedAndRoundTrips(r, base, (loaded) => {
      expect(() => allocateInterference(loaded.net, loaded.manifest.scale, new Float64Array(16), 1, 4)).toThrow('gains: the model serves K <= 3 pairs');
    });
  });

  it.each([0, 0.01])('routed with 3 heads (softness %p): learns to beat random power, answers in [0, Pmax]; saved and loaded alike', (headSoftness) => {
    const o = { ...base, heads: 3, headSoftness };
    expectTrainedAndRoundTrips(trainInterference(o), o, (loaded) => {
      expect(loaded.net.heads).toBe(3);
    });
  });

  it.each([
    ['routed', 1],
    ['single-task', 1],
    ['routed', 3],
  ] as const)('%s, %i head(s): a run killed and resumed from its checkpoint ends with the weights of an uninterrupted run', (scheme, heads) => {
    const dir = mkdtempSync(join(tmpdir(), 'ic-ck-'));
    const o = { ...base, scheme, heads, t1: 6, t2: 6, checkpointEvery: 4 };
    try {
      const whole = trainInterference(o);
      const expected = weightsOf(whole.net);
      whole.net.dispose();
      let stopAt = 0;
      // Kill at step 8 (phase 2 for routed, after the checkpoint of step 4 of that phase... or the single phase).
      expect(() =>
        trainInterference({
          ...o,
          checkpointDir: dir,
          onEvent: (e) => {
            if (e.type === 'step' && e.step === 9) {
              stopAt = e.step;
              throw new Error('killed');
            }
          },
        }),
      ).toThrow('killed');
      expect(stopAt).toBe(9);
      const resumed = trainInterference({ ...o, checkpointDir: dir });
      expect(weightsOf(resumed.net)).toEqual(expected);
      resumed.net.dispose();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
