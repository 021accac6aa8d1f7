import { detectSeries } from '../../src/detection/detect.js';
import { runSeries } from '../../src/detection/series.js';
import type { RawRow, WindowAnswer, WindowPredictor } from '../../src/detection/window-predictor.js';

/** Probability = the window's last SINR / 100; forecast = its last row; refuses a window whose last row is all null; records batch sizes. */
function fakePredictor(windowLength: number) {
  const batches: number[] = [];
  const seen: RawRow[][] = [];
  const predictor: WindowPredictor = {
    model: 'fake',
    windowLength,
    predictWindows: async (windows) => {
      batches.push(windows.length);
      seen.push(...windows);
      return windows.map((w): WindowAnswer | null => {
        const last = w[w.length - 1];
        if (last.every((v) => v === null)) return null;
        return { probability: (last[2] ?? 0) / 100, forecast: [last[0] ?? 0, last[1] ?? 0, last[2] ?? 0] };
      });
    },
  };
  return { predictor, batches, seen };
}

const rows = (n: number): RawRow[] => Array.from({ length: n }, (_, i) => [-90 - i, -10, i]);

test('row i gets the window ending at row i; the first w - 1 rows get null', async () => {
  const { predictor, seen } = fakePredictor(3);
  const out = await runSeries(rows(6), predictor);
  expect(out.probability).toEqual([null, null, 0.02, 0.03, 0.04, 0.05]);
  expect(out.forecast[2]).toEqual([-92, -10, 2]);
  expect(seen[0]).toEqual(rows(3));
  expect(seen).toHaveLength(4);
});

test('a long series goes through in batches of at most the batch size, every window once', async () => {
  const { predictor, batches } = fakePredictor(4);
  const out = await runSeries(rows(2503), predictor, 1000);
  expect(batches).toEqual([1000, 1000, 500]);
  expect(out.probability.filter((p) => p !== null)).toHaveLength(2500);
  expect(out.probability[2502]).toBeCloseTo(25.02, 10);
});

test('a window the predictor refuses gets null and is counted', async () => {
  const { predictor } = fakePredictor(2);
  const r = rows(4);
  r[2] = [null, null, null];
  const out = await runSeries(r, predictor);
  expect(out.probability).toEqual([null, 0.01, null, 0.03]);
  expect(out.refused).toBe(1);
});

test('a series shorter than the window gets no probability and no episode', async () => {
  const { predictor, batches } = fakePredictor(5);
  const out = await detectSeries(rows(3), predictor, { k: 1, pOn: 0.5, m: 1, pOff: 0.5, maxGapS: 10 });
  expect(out.probability).toEqual([null, null, null]);
  expect(out.episodes).toEqual([]);
  expect(batches).toEqual([]);
});

test('detectSeries: episodes with times, duration, peak and mean probability', async () => {
  const { predictor } = fakePredictor(2);
  const sinr = [0, 10, 60, 80, 70, 10, 10];
  const r: RawRow[] = sinr.map((s) => [-90, -10, s]);
  const times = sinr.map((_, i) => Date.UTC(2022, 9, 4, 15, 0, 0) + i * 500);
  const out = await detectSeries(r, predictor, { k: 2, pOn: 0.5, m: 1, pOff: 0.5, maxGapS: 10 }, times);
  expect(out.episodes).toEqual([
    { start: 3, end: 4, startTime: '2022-10-04T15:00:01.500Z', endTime: '2022-10-04T15:00:02.000Z', durationS: 0.5, peakProbability: 0.8, meanProbability: 0.75 },
  ]);
  expect(out).toMatchObject({ model: 'fake', windowLength: 2, refused: 0 });
});
