/**
 * The one validator of user-supplied interference-channel gains (CLI files and HTTP
 * bodies): one K x K matrix, or a batch of them with the same K. Each row k holds the
 * gains G_kj from every transmitter j to receiver k (linear, >= 0, finite, at most
 * GAIN_MAX like the other problems' gains). Errors are InputErrors naming the entry,
 * e.g. "gains[2][0][1]: must be >= 0".
 */
import { z } from 'zod';
import { GAIN_MAX } from './gain-domain.js';
import { MAX_INSTANCES } from './gains-input.js';
import { INTERFERENCE_MAX_PAIRS, INTERFERENCE_MIN_PAIRS } from './params.js';
import { InputError } from '../input-error.js';

/** A validated batch: `count` matrices of K x K gains, row-major per instance. */
export interface InterferenceBatch {
  count: number;
  k: number;
  gains: Float64Array;
}

const entry = z
  .number({ error: 'must be a finite number' })
  .refine(Number.isFinite, 'must be finite')
  .refine((g) => g >= 0, 'must be >= 0 (a power gain)')
  .refine((g) => g <= GAIN_MAX, `must be <= ${GAIN_MAX.toExponential()} (120 dB above the mean gain)`);
const row = z.array(entry, { error: 'must be an array of gains (one row of the K x K matrix)' });
const matrix = z
  .array(row, { error: 'must be a K x K matrix (an array of rows)' })
  .min(INTERFERENCE_MIN_PAIRS, `must hold K >= ${INTERFERENCE_MIN_PAIRS} rows`)
  .max(INTERFERENCE_MAX_PAIRS, `must hold K <= ${INTERFERENCE_MAX_PAIRS} rows (pairs)`);

/** How an entry is named: `gains[2][0][1]` (CLI files, the library) or `gains/2/0/1` (HTTP, JSON-pointer style). */
export type FieldStyle = 'brackets' | 'pointer';

const naming =
  (style: FieldStyle) =>
  (field: string, path: readonly PropertyKey[]): string =>
    style === 'pointer' ? [field, ...path.map(String)].join('/') : `${field}${path.map((p) => `[${String(p)}]`).join('')}`;

function parseMatrices(value: unknown[], field: string, single: boolean, style: FieldStyle): InterferenceBatch {
  const at = naming(style);
  const name = (path: (string | number)[]) => at(field, single ? path.slice(1) : path);
  if (value.length > MAX_INSTANCES) throw new InputError(field, `must hold at most ${MAX_INSTANCES} matrices`);
  const matrices = value.map((m, i) => {
    const parsed = matrix.safeParse(m);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new InputError(name([i, ...(issue.path as (string | number)[])]), issue.message);
    }
    return parsed.data;
  });
  const k = matrices[0].length;
  const gains = new Float64Array(matrices.length * k * k);
  matrices.forEach((m, i) => {
    if (m.length !== k) throw new InputError(name([i]), `has ${m.length} rows but ${at(field, [0])} has ${k} (every matrix of a batch must have the same K)`);
    m.forEach((r, j) => {
      if (r.length !== k) throw new InputError(name([i, j]), `has ${r.length} gains but the matrix has ${k} rows (it must be square, K x K)`);
      gains.set(r, (i * k + j) * k);
    });
  });
  return { count: matrices.length, k, gains };
}

/**
 * Reads `gains` of an untyped document: one K x K matrix (an array of arrays of numbers)
 * or a non-empty batch of them (an array of such matrices).
 */
export function parseInterferenceGains(value: unknown, field = 'gains', style: FieldStyle = 'brackets'): InterferenceBatch {
  if (!Array.isArray(value) || value.length === 0) throw new InputError(field, 'must be a K x K gain matrix or a non-empty array of them');
  const single = !Array.isArray(value[0]) || !value[0].some(Array.isArray);
  return parseMatrices(single ? [value] : value, field, single, style);
}
