/** The median of `values` (the mean of the two middle ones for an even count; NaN when empty). */
export function median(values: ArrayLike<number>): number {
  const s = Float64Array.from(values).sort();
  const mid = s.length >> 1;
  if (s.length === 0) return NaN;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}
