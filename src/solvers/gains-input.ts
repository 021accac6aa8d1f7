/**
 * Validation of user-supplied channel gains (CLI files, HTTP bodies): every error
 * names the row, the column and the rule, e.g. "gains[3][1]: must be >= 0".
 */
import { z } from 'zod';
import { findGainOutsideDomain } from './gain-domain.js';
import type { Problem } from './params.js';

export class GainsInputError extends Error {
  override name = 'GainsInputError';
}

/** Limits that keep one request bounded. */
export const MAX_USERS = 10_000;

const finite = z.number({ error: 'must be a finite number' }).refine(Number.isFinite, 'must be finite');
const row = z.array(finite, { error: 'must be an array of numbers' });

function formatPath(path: PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('');
}

/**
 * Checks a batch of gain vectors: non-empty, rectangular, finite and inside the gain
 * domain of `problem` (gain-domain.ts).
 */
export function parseGainsBatch(value: unknown, problem: Problem, field = 'gains'): number[][] {
  const schema = z.array(row.min(1, 'must hold at least one gain').max(MAX_USERS, `must hold at most ${MAX_USERS} gains`), {
    error: 'must be an array of gain vectors',
  }).min(1, 'must hold at least one gain vector');
  const result = schema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new GainsInputError(`${formatPath([field, ...issue.path])}: ${issue.message}`);
  }
  const rows = result.data;
  const n = rows[0].length;
  rows.forEach((r, i) => {
    if (r.length !== n) throw new GainsInputError(`${field}[${i}]: has ${r.length} gains but ${field}[0] has ${n} (rows must have equal length)`);
  });
  const outside = findGainOutsideDomain(problem, rows);
  if (outside) throw new GainsInputError(`${field}[${outside.row}][${outside.column}]: ${outside.rule}`);
  return rows;
}
