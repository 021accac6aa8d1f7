/**
 * The KPI measurements the API accepts and predicts: the 3GPP reporting ranges of
 * TS 38.133 (SS-RSRP 10.1.6, SS-RSRQ 10.1.11, SS-SINR 10.1.16). openapi.yaml's
 * `Measurement` schema states the same bounds, so requests outside them are refused
 * before any model runs; checkMeasurements holds the CLI's and the library's inputs to the
 * same rule. Predictions outside them are flagged (KPI service), not clamped.
 */
import { z } from 'zod';
import { InputError } from '../input-error.js';

/** The measurement columns of a window row and of FccIQ's CSVs, in order. */
export const KPI_COLUMNS = ['RSRP', 'RSRQ', 'SINR'] as const;

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

/** A raw row [rsrp_dBm, rsrq_dB, sinr_dB], null where a value is missing. */
export type Measurement = [number | null, number | null, number | null];

const value = (j: number) => {
  const { name, unit, range } = MEASUREMENT_RANGES[j];
  return z
    .number({ error: 'must be a number or null' })
    .min(range[0], `${name.toUpperCase()} must be >= ${range[0]} ${unit}`)
    .max(range[1], `${name.toUpperCase()} must be <= ${range[1]} ${unit}`)
    .nullable();
};
const rows = z.array(z.tuple([value(0), value(1), value(2)], { error: 'must be [rsrp, rsrq, sinr]' }), { error: 'must be an array of [rsrp, rsrq, sinr] rows' });

/** `value` as measurement rows; InputError naming the row and column (`windows/3/2/1`) otherwise. */
export function checkMeasurements(value: unknown, field: string): Measurement[] {
  const r = rows.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  throw new InputError([field, ...issue.path.map(String)].join('/'), issue.message);
}
