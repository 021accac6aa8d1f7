import { classificationMetrics, errorsByFile, expectedCalibrationError, meanCi, rocAuc } from '../../../src/dnn/kpi/metrics.js';
import type { WindowSet } from '../../../src/datasets/kpi/windows.js';

describe('KPI metrics', () => {
  it('ROC-AUC: perfect, inverted, ties and one-class cases', () => {
    expect(rocAuc([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1])).toBe(1);
    expect(rocAuc([0.9, 0.8, 0.2, 0.1], [0, 0, 1, 1])).toBe(0);
    expect(rocAuc([0.5, 0.5, 0.5, 0.5], [0, 1, 0, 1])).toBe(0.5);
    expect(rocAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBe(0.75);
    expect(rocAuc([0.1, 0.2], [1, 1])).toBeNaN();
  });

  it('accuracy, balanced accuracy, F1, majority accuracy and the confusion matrix', () => {
    // labels: 6 negatives, 2 positives; predictions: all negatives right, one positive missed, one false positive.
    const labels = [0, 0, 0, 0, 0, 0, 1, 1];
    const prob = [0.1, 0.2, 0.1, 0.9, 0.3, 0.2, 0.8, 0.4];
    const m = classificationMetrics(prob, labels);
    expect(m.confusion).toEqual([[5, 1], [1, 1]]);
    expect(m.accuracy).toBeCloseTo(6 / 8);
    expect(m.balancedAccuracy).toBeCloseTo((5 / 6 + 1 / 2) / 2);
    expect(m.f1).toBeCloseTo(2 / (2 + 1 + 1));
    expect(m.majorityAccuracy).toBeCloseTo(6 / 8);
    const allNeg = classificationMetrics([0, 0, 0, 0], [0, 0, 1, 1]);
    expect(allNeg.balancedAccuracy).toBe(0.5);
    expect(allNeg.f1).toBe(0);
  });

  it('mean and 95% t-interval', () => {
    const s = meanCi([1, 2, 3]);
    expect(s.mean).toBe(2);
    expect(s.ci95).toBeCloseTo((4.303 * 1) / Math.sqrt(3), 6);
    expect(meanCi([5]).ci95).toBeNaN();
  });

  it('errors by file: false alarms and misses per source file', () => {
    // Two files; labels and sources of 6 windows; predictions p >= 0.5 mean interference.
    const ws = { count: 6, label: Int32Array.from([0, 1, 1, 0, 0, 1]), source: Int32Array.from([0, 0, 0, 1, 1, 1]) } as unknown as WindowSet;
    const rows = errorsByFile([0.9, 0.2, 0.7, 0.1, 0.5, 0.4], ws, ['a.csv', 'b.csv']);
    expect(rows).toEqual([
      { file: 'a.csv', windows: 3, positives: 2, negatives: 1, falseAlarms: 1, misses: 1 },
      { file: 'b.csv', windows: 3, positives: 1, negatives: 2, falseAlarms: 1, misses: 1 },
    ]);
  });
});

describe('expectedCalibrationError', () => {
  it('is 0 when each bin predicts its observed frequency, and the weighted gap otherwise', () => {
    // Bin [0.2, 0.3): 4 windows at 0.25, 1 positive -> calibrated. Bin [0.9, 1): 2 at 0.95, 1 positive -> gap 0.45.
    expect(expectedCalibrationError([0.25, 0.25, 0.25, 0.25], [1, 0, 0, 0])).toBeCloseTo(0, 12);
    expect(expectedCalibrationError([0.25, 0.25, 0.25, 0.25, 0.95, 0.95], [1, 0, 0, 0, 1, 0])).toBeCloseTo((2 / 6) * 0.45, 12);
    // A probability of exactly 1 falls in the last bin.
    expect(expectedCalibrationError([1, 1], [1, 1])).toBeCloseTo(0, 12);
    expect(() => expectedCalibrationError([0.5], [])).toThrow();
  });
});
