/**
 * Principal branch W0 of the Lambert W function for z >= 0 (w e^w = z).
 * Halley's iteration from a start that is good at both ends; `guess` lets callers
 * warm-start from a nearby solution. Accurate to a few ulps.
 */
export function lambertW0(z: number, guess?: number): number {
  if (z === 0) return 0;
  if (!(z > 0) || !Number.isFinite(z)) throw new RangeError(`lambertW0: z must be finite and >= 0, got ${z}`);
  let w: number;
  if (guess !== undefined && guess > 0) w = guess;
  else if (z < 0.1) w = z * (1 - z * (1 - 1.5 * z)); // series z - z^2 + 1.5 z^3
  else if (z < Math.E) w = Math.log1p(z) * 0.8;
  else {
    const l1 = Math.log(z);
    const l2 = Math.log(1 + l1);
    w = l1 - l2 + l2 / (1 + l1);
  }
  if (!(w > 0)) w = Math.log1p(z);
  for (let i = 0; i < 30; i++) {
    const ew = Math.exp(w);
    const f = w * ew - z;
    const wp1 = w + 1;
    const step = f / (ew * wp1 - ((w + 2) * f) / (2 * wp1));
    w -= step;
    if (Math.abs(step) <= 4e-16 * w) break;
  }
  return w;
}
