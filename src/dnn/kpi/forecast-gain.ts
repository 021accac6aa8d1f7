/**
 * How far to trust the model's next-step forecast over persistence on one cell, learnt
 * from the cell's own unlabelled history: the forecast becomes
 *   last + gain * (model - last)
 * per KPI, gain in [0, 1] (0 = persistence, 1 = the model as trained). The gain is the
 * least-squares fit of the model's predicted step to the step that followed, over the
 * history's windows: no labels are needed, only what the measurements did next. A model
 * that predicts steps a new cell does not take (RSRQ on a cell where it hardly moves) is
 * pulled back towards persistence, and never past it.
 *
 * Works in any affine units (scaled or raw): the fit and the blend are invariant to them.
 */

/** Per-KPI gains in [0, 1] from `count` windows: last [count, k], predicted [count, k], next [count, k]. */
export function fitForecastGain(last: ArrayLike<number>, predicted: ArrayLike<number>, next: ArrayLike<number>, kpis = 3): number[] {
  if (last.length !== predicted.length || last.length !== next.length || last.length % kpis !== 0) {
    throw new Error(`last, predicted and next must be [count, ${kpis}] arrays of equal length, got ${last.length}, ${predicted.length}, ${next.length}`);
  }
  const count = last.length / kpis;
  return Array.from({ length: kpis }, (_, j) => {
    let num = 0;
    let den = 0;
    for (let i = 0; i < count; i++) {
      const step = predicted[i * kpis + j] - last[i * kpis + j];
      num += step * (next[i * kpis + j] - last[i * kpis + j]);
      den += step * step;
    }
    // No predicted movement (or no windows): nothing to learn, keep the model as it is.
    if (!(den > 0)) return 1;
    return Math.min(1, Math.max(0, num / den));
  });
}

/** Applies per-KPI gains in place to forecasts [count, k] given each window's last step [count, k]. */
export function applyForecastGain(forecast: Float32Array | number[], last: ArrayLike<number>, gain: readonly number[]): void {
  const kpis = gain.length;
  for (let i = 0; i < forecast.length; i++) {
    const j = i % kpis;
    forecast[i] = last[i] + gain[j] * (forecast[i] - last[i]);
  }
}
