/**
 * Tick values for a log axis: the powers of ten around the data, or 1-2-5 steps when
 * the data spans less than two of them, so labels are round and never repeat. The
 * first and last tick enclose the data and serve as the axis domain.
 */
export function logTicks(values: number[]): number[] {
  const positive = values.filter((v) => Number.isFinite(v) && v > 0);
  if (!positive.length) return [];
  const lo = Math.min(...positive);
  const hi = Math.max(...positive);
  const decades: number[] = [];
  for (let k = Math.floor(Math.log10(lo)); k <= Math.ceil(Math.log10(hi)); k++) decades.push(k);
  // `Number('2e-3')` rather than 2 * 10 ** -3, which is 0.0020000000000000005.
  const powers = decades.map((k) => Number(`1e${k}`));
  if (powers.filter((v) => v >= lo && v <= hi).length >= 2) return powers;
  const steps = decades.flatMap((k) => [1, 2, 5].map((m) => Number(`${m}e${k}`)));
  let first = 0;
  while (first + 1 < steps.length && steps[first + 1] <= lo) first++;
  let last = steps.length - 1;
  while (last - 1 >= 0 && steps[last - 1] >= hi) last--;
  return steps.slice(first, last + 1);
}
