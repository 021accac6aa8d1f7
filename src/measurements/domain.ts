/**
 * The KPI measurements the API accepts and predicts: the 3GPP reporting ranges of
 * TS 38.133 (SS-RSRP 10.1.6, SS-RSRQ 10.1.11, SS-SINR 10.1.16). openapi.yaml's
 * `Measurement` schema states the same bounds, so requests outside them are refused
 * before any model runs; checkMeasurements holds the CLI's and the library's inputs to the
 * same rule. Predictions outside them are flagged (KPI service), not clamped.
 */
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
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

// ajv, compiled once and stopping at the first error: a server checks 100,000 rows per
// calibration on its event loop, which zod took 60-70 ms to do (ajv: a few ms).
const rowsSchema = {
  type: 'array',
  items: {
    type: 'array',
    minItems: 3,
    prefixItems: MEASUREMENT_RANGES.map((m) => ({ type: ['number', 'null'], minimum: m.range[0], maximum: m.range[1] })),
    items: false,
  },
};
const validRows = new Ajv2020({ allErrors: false, strict: true, strictNumbers: true }).compile(rowsSchema);

/** The rule an ajv error of `rowsSchema` breaks, in words. */
function ruleOf(e: ErrorObject, depth: number): string {
  if (depth === 0) return 'must be an array of [rsrp, rsrq, sinr] rows';
  if (depth === 1) return 'must be [rsrp, rsrq, sinr]';
  const { name, unit, range } = MEASUREMENT_RANGES[Number(e.instancePath.split('/')[2])];
  if (e.keyword === 'minimum') return `${name.toUpperCase()} must be >= ${range[0]} ${unit}`;
  if (e.keyword === 'maximum') return `${name.toUpperCase()} must be <= ${range[1]} ${unit}`;
  return 'must be a number or null';
}

/** `value` as measurement rows; InputError naming the row and column (`windows/3/2/1`) otherwise. */
export function checkMeasurements(value: unknown, field: string): Measurement[] {
  if (validRows(value)) return value as Measurement[];
  const e = (validRows.errors as ErrorObject[])[0];
  const path = e.instancePath.split('/').slice(1);
  throw new InputError([field, ...path].join('/'), ruleOf(e, path.length));
}
