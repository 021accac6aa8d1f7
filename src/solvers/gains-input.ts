/**
 * The one validator of user-supplied channel gains, for CLI files and HTTP bodies alike:
 * every error is an InputError naming the row, the column and the rule, e.g.
 * "gains[3][1]: must be >= 0". openapi.yaml states the same limits (a test checks).
 */
import { z } from 'zod';
import { findGainOutsideDomain } from './gain-domain.js';
import type { Problem } from './params.js';
import { InputError } from '../input-error.js';

/**
 * Gains per instance: the largest N any solver serves (the exact fdma-delay solver's; the
 * HTTP API caps the slower solvers lower, src/server/limits.ts).
 */
export const MAX_USERS = 1000;
/** Instances per batch: keeps one request, or one CLI file, bounded. */
export const MAX_INSTANCES = 1024;

const finite = z.number({ error: 'must be a finite number' }).refine(Number.isFinite, 'must be finite');
const row = z.array(finite, { error: 'must be an array of numbers' }).min(1, 'must hold at least one gain').max(MAX_USERS, `must hold at most ${MAX_USERS} gains`);
const batch = z
  .array(row, { error: 'must be an array of gain vectors' })
  .min(1, 'must hold at least one gain vector')
  .max(MAX_INSTANCES, `must hold at most ${MAX_INSTANCES} gain vectors`);

/** How a field is named: the CLI writes `gains[3][1]`, the HTTP API `gains/3/1` (and `gains/1` for a single instance). */
export type GainField = (row?: number, column?: number) => string;

/** `gains[3][1]`; rows counted from `offset` (a chunk of a longer input). */
export const bracketField =
  (name: string, offset = 0): GainField =>
  (r, c) =>
    `${name}${r === undefined ? '' : `[${offset + r}]`}${c === undefined ? '' : `[${c}]`}`;

/**
 * Checks rows already known to be arrays of finite numbers within the size limits (the
 * HTTP schema checks that much): rectangular, and every gain inside the domain of
 * `problem` (gain-domain.ts).
 */
export function checkGainRows(rows: readonly (readonly number[])[], problem: Problem, at: GainField = bracketField('gains')): void {
  const n = rows[0].length;
  rows.forEach((r, i) => {
    if (r.length !== n) throw new InputError(at(i), `has ${r.length} gains but ${at(0)} has ${n} (every instance of a batch must have the same N)`);
  });
  const outside = findGainOutsideDomain(problem, rows);
  if (outside) throw new InputError(at(outside.row, outside.column), outside.rule);
}

/**
 * Checks a batch of gain vectors from an untyped document (a CLI file): shape, limits, then
 * checkGainRows. `offset`: index of the batch's first row in a longer input (errors name it).
 */
export function parseGainsBatch(value: unknown, problem: Problem, field = 'gains', offset = 0): number[][] {
  const result = batch.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    const [r, c] = issue.path as number[];
    throw new InputError(bracketField(field, offset)(r, c), issue.message);
  }
  checkGainRows(result.data, problem, bracketField(field, offset));
  return result.data;
}
