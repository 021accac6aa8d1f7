/**
 * Per-column min-max scaler (scikit-learn's MinMaxScaler, feature range [0, 1]).
 * Fitted on one CSV's train part only; applied once to inputs and targets alike.
 */
export interface MinMaxScaler {
  /** Column names, in order. */
  columns: string[];
  /** Per-column minimum of the fitting data (physical units: dBm, dB). */
  min: number[];
  /** Per-column maximum of the fitting data. */
  max: number[];
}

/** Fits on `rows` (row-major, `columns.length` values per row). A constant column gets range 1. */
export function fitMinMax(columns: string[], rows: ArrayLike<number>[]): MinMaxScaler {
  if (rows.length === 0) throw new Error('cannot fit a scaler on zero rows');
  const min = columns.map(() => Infinity);
  const max = columns.map(() => -Infinity);
  for (const r of rows) {
    for (let j = 0; j < columns.length; j++) {
      if (r[j] < min[j]) min[j] = r[j];
      if (r[j] > max[j]) max[j] = r[j];
    }
  }
  return { columns: [...columns], min, max };
}

/** Range used for scaling column j (1 when the column is constant, as scikit-learn does). */
export function scaleRange(s: MinMaxScaler, j: number): number {
  const r = s.max[j] - s.min[j];
  return r > 0 ? r : 1;
}

/** Physical value -> scaled value for column j. */
export function scaleValue(s: MinMaxScaler, j: number, v: number): number {
  return (v - s.min[j]) / scaleRange(s, j);
}

/** Scaled value -> physical value for column j. */
export function unscaleValue(s: MinMaxScaler, j: number, v: number): number {
  return v * scaleRange(s, j) + s.min[j];
}
