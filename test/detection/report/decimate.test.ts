/** M4 decimation keeps, per pixel column, the first, lowest, highest and last point of a long series. */
import { decimateM4, type SeriesPoint } from '../../../src/detection/report/decimate.js';

const series = (values: number[], start = 0): SeriesPoint[] => values.map((v, i) => ({ t: start + i, v }));

test('a series with at most 4 points per column is kept whole', () => {
  const s = series([3, 1, 4, 1, 5, 9, 2, 6]);
  expect(decimateM4(s, 0, 7, 2)).toEqual(s);
});

test('per column: first, lowest, highest, last, in time order, each once', () => {
  // Two columns of 6 points: t 0-5 and 6-11 over [0, 12).
  const s = series([5, 7, 1, 9, 4, 6, 2, 2, 2, 2, 2, 2]);
  expect(decimateM4(s, 0, 12, 2).map((p) => p.t)).toEqual([0, 2, 3, 5, 6, 11]);
  // Lowest first, highest last, the same point twice: each kept once.
  expect(decimateM4(series([1, 5, 3, 2, 4, 9, 0, 0, 0, 0, 0, 0]), 0, 12, 2).map((p) => p.t)).toEqual([0, 5, 6, 11]);
});

test('the line reaches the edges: the nearest point outside the range on each side is kept', () => {
  const s = series(Array.from({ length: 100 }, (_, i) => i % 7));
  const picked = decimateM4(s, 40, 59, 2);
  expect(picked[0].t).toBe(39);
  expect(picked[picked.length - 1].t).toBe(60);
  expect(picked.slice(1, -1).every((p) => p.t >= 40 && p.t <= 59)).toBe(true);
  // Nothing inside the range: just the two neighbours.
  expect(decimateM4(series([1, 2, 3], 0).filter((p) => p.t !== 1), 0.5, 1.5, 10).map((p) => p.t)).toEqual([0, 2]);
});

test('every column keeps its extremes: the decimated line spans what the full one spans in each column', () => {
  const values = Array.from({ length: 20_000 }, (_, i) => Math.sin(i / 50) + ((i * 7919) % 13) / 13);
  const s = series(values);
  const picked = decimateM4(s, 0, 19_999, 900);
  expect(picked.length).toBeLessThanOrEqual(4 * 900);
  // Per column: [lowest, highest] of the points given.
  const extremes = (points: SeriesPoint[]) => {
    const out = Array.from({ length: 900 }, () => [Infinity, -Infinity]);
    for (const p of points) {
      const c = out[Math.min(899, Math.floor(p.t / (19_999 / 900)))];
      c[0] = Math.min(c[0], p.v);
      c[1] = Math.max(c[1], p.v);
    }
    return out;
  };
  expect(extremes(picked)).toEqual(extremes(s));
});

test('Infinity columns keep every point', () => {
  const s = series(Array.from({ length: 5000 }, (_, i) => i % 3));
  expect(decimateM4(s, 0, 4999, Infinity)).toHaveLength(5000);
});
