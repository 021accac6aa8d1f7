/**
 * Missing measurements in a KPI window ([rsrp, rsrq, sinr] rows, oldest first, `null` where a
 * value is missing): which gaps a window may have, and how they are filled before scaling.
 *
 * Filling: per column, the last observed value is carried forward (a KPI that was not
 * reported is taken as unchanged, the persistence forecast the models are built around);
 * a gap at the start takes the column's first observed value. It is done on raw values,
 * so every model and every scaler sees the same complete window.
 *
 * Limits: at most MAX_MISSING_FRACTION of a window's values missing, and each column at
 * least one value in the steps the model reads (its LSTM context, the window's last steps):
 * beyond that the filled window is mostly invented and the answer would be a guess.
 */
import { KPI_COLUMNS } from './domain.js';

/** Largest fraction of a window's values that may be missing (filled, not refused). */
export const MAX_MISSING_FRACTION = 0.2;

export type GappyWindow = ArrayLike<ArrayLike<number | null>>;

function isMissing(v: number | null): v is null {
  return v === null || !Number.isFinite(v);
}

/**
 * Why `window` has too many gaps for a model that reads its last `context` steps (a sentence
 * naming the rule), or undefined when its gaps can be filled.
 */
export function gapProblem(window: GappyWindow, context: number): string | undefined {
  const steps = window.length;
  let missing = 0;
  for (let t = 0; t < steps; t++) for (let j = 0; j < 3; j++) if (isMissing(window[t][j])) missing++;
  const allowed = Math.floor(MAX_MISSING_FRACTION * steps * 3);
  if (missing > allowed) {
    return `${missing} of its ${steps * 3} values are null; at most ${allowed} (${100 * MAX_MISSING_FRACTION}%) may be missing`;
  }
  const read = Math.min(context, steps);
  for (let j = 0; j < 3; j++) {
    let seen = false;
    for (let t = steps - read; t < steps && !seen; t++) seen = !isMissing(window[t][j]);
    if (!seen) return `${KPI_COLUMNS[j]} is null in all of its last ${read} steps (the steps the model reads); each column needs at least one value there`;
  }
  return undefined;
}

/**
 * `window` with every gap filled (per column: last observed value carried forward, the
 * first observed value back-filled into a leading gap) and the number of values filled.
 * Throws when a column holds no value at all (gapProblem refuses such windows first).
 */
export function fillGaps(window: GappyWindow): { window: number[][]; imputed: number } {
  // A complete window (the usual case) is its own filled copy: a server filling 256 windows
  // a request spent a fifth of its time copying them and collecting the copies.
  if (isCompleteArray(window)) return { window, imputed: 0 };
  const filled = Array.from({ length: window.length }, () => [0, 0, 0]);
  let imputed = 0;
  for (let j = 0; j < 3; j++) {
    let carried: number | undefined;
    for (let t = 0; t < window.length; t++) {
      const v = window[t][j];
      if (!isMissing(v)) carried = v;
      else {
        carried ??= firstObserved(window, j);
        imputed++;
      }
      filled[t][j] = carried;
    }
  }
  return { window: filled, imputed };
}

/** True when `window` is an array of arrays without a missing value. */
function isCompleteArray(window: GappyWindow): window is number[][] {
  if (!Array.isArray(window)) return false;
  for (const row of window as ArrayLike<number | null>[]) {
    if (!Array.isArray(row)) return false;
    for (let j = 0; j < 3; j++) if (isMissing(row[j])) return false;
  }
  return true;
}

function firstObserved(window: GappyWindow, column: number): number {
  for (let t = 0; t < window.length; t++) {
    const v = window[t][column];
    if (!isMissing(v)) return v;
  }
  throw new Error(`column ${KPI_COLUMNS[column]} holds no value to fill its gaps with`);
}
