import { buildFeatures, fitFeatureScale } from '../../../src/dnn/interference/features.js';
import { gaussianInterferenceGains } from '../../../src/channels/interference.js';
import { seededUniform } from '../../../src/random.js';
import { sumRateOf } from '../../../src/solvers/interference-objective.js';

const unit = { diagMean: 0, diagSd: 1, crossMean: 0, crossSd: 1 };
const layout = { maxK: 3, inDim: 9, indexFeature: false, taskCount: 2, sortPairs: true };

describe('interference features', () => {
  it('sorts pairs by direct gain (rows and columns together), pads with zeros and keeps the way back', () => {
    // K = 2: pair 1 has the larger direct gain (4 > 1), so it comes first.
    const g = [1, 2, 3, 4];
    const f = buildFeatures([{ k: 2, count: 1, gains: g }], 1, layout, unit);
    expect(Array.from(f.order)).toEqual([1, 0, -1]);
    expect(Array.from(f.direct)).toEqual([4, 1, 0]);
    expect(Array.from(f.cross)).toEqual([0, 3, 0, 2, 0, 0, 0, 0, 0]);
    expect(Array.from(f.x)).toEqual([4, 3, 0, 2, 1, 0, 0, 0, 0].map((v) => (v ? Math.fround(Math.log(v)) : 0)));
  });

  it('the sorted instance has the same sum rate for the same powers per pair (relabelling is exact)', () => {
    const k = 3;
    const g = gaussianInterferenceGains(seededUniform('features'), 1, k);
    const f = buildFeatures([{ k, count: 1, gains: g }], 1, layout, unit);
    const power = [0.2, 0.9, 0.5];
    const sorted = Array.from(f.order, (pair) => power[pair]);
    const matrix = Array.from({ length: k * k }, (_, i) => (i % (k + 1) === 0 ? f.direct[i / (k + 1)] : f.cross[i]));
    expect(sumRateOf(Float32Array.from(g), k, power, 1)).toBeCloseTo(sumRateOf(matrix, k, sorted, 1), 5);
  });

  it('adds the task index (t + 1) / T at the last input for the zero-padding scheme, and fits the scale', () => {
    const f = buildFeatures([{ k: 1, count: 1, gains: [2] }], 1, { ...layout, inDim: 10, indexFeature: true }, unit, 0, [1]);
    expect(f.x[9]).toBe(1);
    const s = fitFeatureScale(gaussianInterferenceGains(seededUniform('scale'), 4000, 3), 4000, 3);
    // ln X for X ~ Exp(1): mean -0.5772, sd pi / sqrt(6) = 1.2825.
    expect(s.diagMean).toBeCloseTo(-0.5772, 1);
    expect(s.crossSd).toBeCloseTo(1.2825, 1);
  });
});
