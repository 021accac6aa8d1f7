import seedrandom from 'seedrandom';
import { buildWindows } from '../../../src/datasets/kpi/windows.js';
import { balancedAccuracy, fitLogistic, fitSinrThreshold, logisticProbabilities, sinrThresholdProbabilities, summaryFeatures } from '../../../scripts/experiments/kpi-baselines.js';

/** Raw rows: RSRP = -100 + row, RSRQ = -10, SINR = 20 except 2 dB during interference (labels 1 on rows 10..19). */
function windows(window: number) {
  const n = 30;
  const values = new Float32Array(n * 3);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = i >= 10 && i < 20 ? 1 : 0;
    values.set([-100 + i, -10, labels[i] ? 2 : 20], i * 3);
  }
  return buildWindows([{ values, labels, range: [1, 1, 1], source: 0 }], window);
}

describe('raw-unit baselines', () => {
  it('summarises each window by last value, mean and std of its last steps, per KPI', () => {
    const ws = windows(12);
    const f = summaryFeatures(ws, 10);
    expect(f).toHaveLength(ws.count);
    // Window 0 covers rows 0..11; its last 10 steps are rows 2..11 (RSRP -98..-89; SINR 20 x8 then 2 x2).
    expect(f[0].slice(0, 3).map((v) => +v.toFixed(4))).toEqual([-89, -93.5, +Math.sqrt(8.25).toFixed(4)]);
    expect(f[0].slice(3, 6)).toEqual([-10, -10, 0]);
    expect(f[0].slice(6, 9).map((v) => +v.toFixed(4))).toEqual([2, 16.4, 7.2]);
  });

  it('fits the SINR threshold between the two classes', () => {
    const ws = windows(3);
    const t = fitSinrThreshold(ws);
    expect(t).toBeGreaterThan(2);
    expect(t).toBeLessThan(20);
    expect(balancedAccuracy(sinrThresholdProbabilities(ws, t), ws.label)).toBe(1);
  });

  it('scores balanced accuracy, also with one class absent', () => {
    expect(balancedAccuracy([1, 0, 0, 0], [1, 1, 0, 0])).toBe(0.75);
    expect(balancedAccuracy([0, 1, 0], [0, 0, 0])).toBeCloseTo(2 / 3);
  });

  it('logistic regression recovers the weights of data drawn from a logistic model', () => {
    const rng = seedrandom('logistic');
    const x: number[][] = [];
    const y: number[] = [];
    for (let i = 0; i < 4000; i++) {
      const a = 3 + 2 * (rng() - 0.5) * 2, b = rng() * 10;
      x.push([a, b]);
      y.push(rng() < 1 / (1 + Math.exp(-(-1 + 2 * (a - 3) - 0.5 * (b - 5)))) ? 1 : 0);
    }
    const m = fitLogistic(x, y, 0);
    // Back to raw units: slope_j = w_j / std_j.
    expect(m.weights[1] / m.std[0]).toBeCloseTo(2, 0);
    expect(m.weights[2] / m.std[1]).toBeCloseTo(-0.5, 1);
    const p = logisticProbabilities(m, [[3, 5]]);
    expect(p[0]).toBeGreaterThan(0.15);
    expect(p[0]).toBeLessThan(0.4); // true value 1 / (1 + e) = 0.27
  });

  it('stays finite on separable data thanks to the penalty', () => {
    const m = fitLogistic([[0], [1], [2], [3]], [0, 0, 1, 1], 1e-2);
    expect(m.weights.every(Number.isFinite)).toBe(true);
    expect(Array.from(logisticProbabilities(m, [[0], [3]])).map((p) => p > 0.5)).toEqual([false, true]);
  });
});
