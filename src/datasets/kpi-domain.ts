/**
 * The KPI measurements the API accepts and predicts: the 3GPP reporting ranges of
 * TS 38.133 (SS-RSRP 10.1.6, SS-RSRQ 10.1.11, SS-SINR 10.1.16). openapi.yaml's
 * `Measurement` schema states the same bounds, so requests outside them are refused
 * before any model runs; predictions outside them are flagged (kpi route), not clamped.
 */
export interface MeasurementRange {
  name: 'rsrp' | 'rsrq' | 'sinr';
  unit: 'dBm' | 'dB';
  /** [min, max], inclusive. */
  range: readonly [number, number];
}

/** In window column order: [rsrp, rsrq, sinr]. */
export const MEASUREMENT_RANGES: readonly MeasurementRange[] = [
  { name: 'rsrp', unit: 'dBm', range: [-156, -31] },
  { name: 'rsrq', unit: 'dB', range: [-43, 20] },
  { name: 'sinr', unit: 'dB', range: [-23, 40] },
];

/** True when every value of `measurement` ([rsrp, rsrq, sinr]) lies in its reporting range. */
export function insideReportingRanges(measurement: readonly number[]): boolean {
  return MEASUREMENT_RANGES.every((m, j) => measurement[j] >= m.range[0] && measurement[j] <= m.range[1]);
}
