import { applyForecastGain, fitForecastGain } from '../../../src/dnn/kpi/forecast-gain.js';

/** Mean squared error of forecasts against what came next, per KPI column. */
function mse(forecast: ArrayLike<number>, next: ArrayLike<number>, kpis: number, j: number): number {
  let s = 0;
  for (let i = j; i < next.length; i += kpis) s += (forecast[i] - next[i]) ** 2;
  return s / (next.length / kpis);
}

describe('forecast gain (the model step versus persistence, fitted on unlabelled history)', () => {
  it('recovers the gain that makes the blended step match the true one, per KPI', () => {
    // KPI 0: the true step is half the predicted one; KPI 1: exactly the predicted one.
    const last = [0, 0, 1, 1, 2, 2, 3, 3];
    const predicted = [2, 1, 3, 2, 0, 1, 5, 5];
    const next = last.map((l, i) => (i % 2 === 0 ? l + 0.5 * (predicted[i] - l) : predicted[i]));
    const [g0, g1] = fitForecastGain(last, predicted, next, 2);
    expect(g0).toBeCloseTo(0.5, 12);
    expect(g1).toBeCloseTo(1, 12);
  });

  it('is 0 (persistence) when the predicted steps go against what happens, and never above 1', () => {
    const last = [0, 0, 0];
    expect(fitForecastGain(last, [1, -1, 2], [-1, 1, -2], 1)).toEqual([0]);
    expect(fitForecastGain(last, [1, -1, 2], [3, -3, 6], 1)).toEqual([1]);
  });

  it('keeps the model (gain 1) where it predicts no movement or there are no windows', () => {
    expect(fitForecastGain([1, 2], [1, 2], [5, 7], 1)).toEqual([1]);
    expect(fitForecastGain([], [], [], 3)).toEqual([1, 1, 1]);
  });

  it('the fitted gain never does worse than persistence or the raw model on the data it was fitted on', () => {
    let s = 7;
    const rand = () => ((s = (s * 16807) % 2147483647) / 2147483647) - 0.5;
    const n = 200;
    const last = Array.from({ length: n * 3 }, rand);
    const predicted = last.map((l) => l + rand());
    const next = predicted.map((p, i) => last[i] + 0.3 * (p - last[i]) + 0.2 * rand());
    const gain = fitForecastGain(last, predicted, next);
    const blended = Float32Array.from(predicted);
    applyForecastGain(blended, last, gain);
    for (let j = 0; j < 3; j++) {
      expect(mse(blended, next, 3, j)).toBeLessThanOrEqual(mse(last, next, 3, j) + 1e-9);
      expect(mse(blended, next, 3, j)).toBeLessThanOrEqual(mse(predicted, next, 3, j) + 1e-9);
    }
  });

  it('applies the gain per KPI column in place', () => {
    const forecast = [2, 4, 6, 10, 20, 30];
    applyForecastGain(forecast, [0, 0, 0, 10, 10, 10], [0, 0.5, 1]);
    expect(forecast).toEqual([0, 2, 6, 10, 15, 30]);
  });

  it('refuses arrays of different or ragged lengths', () => {
    expect(() => fitForecastGain([0, 0, 0], [0, 0], [0, 0, 0])).toThrow(/equal length/);
    expect(() => fitForecastGain([0, 0], [0, 0], [0, 0])).toThrow(/\[count, 3\]/);
  });
});
