/**
 * The domain of raw KPI measurements a model accepts: rows [rsrp_dBm, rsrq_dB, sinr_dB], each
 * value inside its 3GPP reporting range (datasets/kpi-domain.ts) or null where missing. The
 * HTTP contract (openapi.yaml `Measurement`) states the same; this check serves the callers
 * the contract does not reach (CLI, library).
 */
import { z } from 'zod';
import { MEASUREMENT_RANGES } from '../../datasets/kpi-domain.js';
import { InputError } from '../../input-error.js';

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
