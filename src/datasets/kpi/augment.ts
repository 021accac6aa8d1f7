/**
 * Level-shift augmentation: cells differ in their level (path loss moves RSRP, load and
 * neighbours move RSRQ and SINR) more than the training files show. Each epoch every
 * training file gets its own random offset per column, uniform in ±maxDb dB (dBm for
 * RSRP), added to all its windows' inputs and targets; labels are unchanged.
 */
import type { WindowSet } from './windows.js';

/** A copy of `ws` with one random offset per source file and column (drawn from `rng`, in file then column order). */
export function shiftLevels(ws: WindowSet, maxDb: number, rng: () => number): WindowSet {
  if (!(maxDb >= 0) || !Number.isFinite(maxDb)) throw new Error(`level shift must be a finite number of dB >= 0, got ${maxDb}`);
  const F = ws.features;
  const files = Math.max(0, ...Array.from(ws.source)) + 1;
  const offsetDb = Array.from({ length: files * F }, () => (2 * rng() - 1) * maxDb);
  const x = ws.x.slice();
  const y = ws.y.slice();
  const last = ws.last.slice();
  for (let w = 0; w < ws.count; w++) {
    for (let j = 0; j < F; j++) {
      // range: physical units per scaled unit of this window's scaler.
      const d = offsetDb[ws.source[w] * F + j] / ws.range[w * F + j];
      for (let t = 0; t < ws.window; t++) x[(w * ws.window + t) * F + j] += d;
      y[w * F + j] += d;
      last[w * F + j] += d;
    }
  }
  return { ...ws, x, y, last };
}
