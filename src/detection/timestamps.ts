/**
 * Row timestamps of a series: ISO-8601 text or epoch milliseconds, in. Epoch milliseconds,
 * non-decreasing, out. Text without a zone (as in the FccIQ files, "2022-10-04 15:52:22.917")
 * is read as UTC, so the same file gives the same times on every machine.
 */
import { InputError } from '../input-error.js';

/**
 * Epoch ms of one timestamp, or NaN when it is neither ISO-8601 text nor a finite number.
 * Self-contained: the report page runs this very function in the browser (report/browser-script.ts).
 */
export function timestampMs(value: string | number): number {
  if (typeof value === 'number') return Number.isFinite(value) ? value : NaN;
  const text = value.trim();
  const m = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/i.exec(text);
  if (!m) return NaN;
  const iso = text.replace(' ', 'T');
  return Date.parse(m[1] === undefined && iso.includes('T') ? `${iso}Z` : iso);
}

/** Epoch ms of every timestamp; `field` names them in errors (e.g. `timestamps`). */
export function parseTimestamps(values: ReadonlyArray<string | number>, field = 'timestamps'): number[] {
  const ms = values.map((v) => timestampMs(v));
  ms.forEach((t, i) => {
    if (Number.isNaN(t)) throw new InputError(`${field}/${i}`, `must be ISO-8601 text or epoch milliseconds, got ${JSON.stringify(values[i])}`);
    if (i > 0 && t < ms[i - 1]) throw new InputError(`${field}/${i}`, `must not be earlier than the row before (timestamps are oldest first)`);
  });
  return ms;
}
