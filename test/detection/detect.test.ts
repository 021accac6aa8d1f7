/** detectInterference: a series through the KPI service, the alerting rule over its probabilities, episodes described. */
import { detectInterference } from '../../src/detection/detect.js';
import type { KpiServable } from '../../src/dnn/kpi/servable.js';
import { InputError } from '../../src/input-error.js';

/** Probability = the window's last SINR / 40; forecast = its last row; records each forward pass's size. */
function fakeModel(windowLength: number) {
  const batches: number[] = [];
  const model: KpiServable = {
    kind: 'kpi',
    name: 'fake',
    version: '000000000000',
    loadedAt: '2026-01-01T00:00:00.000Z',
    manifest: {},
    architecture: 'fake',
    windowLength,
    scalers: ['pooled'],
    predict: (windows) => {
      batches.push(windows.length);
      return windows.map((w) => {
        const [rsrp, rsrq, sinr] = w[w.length - 1];
        return { rsrp, rsrq, sinr, interferenceProbability: sinr / 40 };
      });
    },
  };
  return { model, batches };
}

type Row = Array<number | null>;
const rows = (n: number): Row[] => Array.from({ length: n }, (_, i) => [-90, -10, i % 40]);
const rule = { k: 1, pOn: 0.5, m: 1, pOff: 0.5, maxGapS: 10 };

test('row i gets the window ending at row i; the first w - 1 rows get null', async () => {
  const { model } = fakeModel(3);
  const out = await detectInterference(model, rows(6), { alerting: rule });
  expect(out.probability).toEqual([null, null, 2 / 40, 3 / 40, 4 / 40, 5 / 40]);
  expect(out.forecast[2]).toEqual([-90, -10, 2]);
  expect(out.refused).toBe(0);
});

test('a long series goes through in forward passes of at most 1,024 windows, every window once', async () => {
  const { model, batches } = fakeModel(4);
  const out = await detectInterference(model, rows(2503), { alerting: rule });
  expect(batches).toEqual([1024, 1024, 452]);
  expect(out.probability.filter((p) => p !== null)).toHaveLength(2500);
  expect(out.probability[2502]).toBeCloseTo(22 / 40, 10);
});

test('a window with too many missing values gets null and is counted', async () => {
  const { model } = fakeModel(2);
  const r = rows(4);
  r[2] = [null, null, null];
  const out = await detectInterference(model, r, { alerting: rule });
  expect(out.probability).toEqual([null, 1 / 40, null, null]);
  expect(out.refused).toBe(2);
});

test('a series shorter than the window gets no probability, no episode and no forward pass', async () => {
  const { model, batches } = fakeModel(5);
  const out = await detectInterference(model, rows(3), { alerting: rule });
  expect(out.probability).toEqual([null, null, null]);
  expect(out.episodes).toEqual([]);
  expect(batches).toEqual([]);
});

test('episodes with times, duration, peak and mean probability', async () => {
  const { model } = fakeModel(2);
  const sinr = [0, 4, 24, 32, 28, 4, 4];
  const times = sinr.map((_, i) => Date.UTC(2022, 9, 4, 15, 0, 0) + i * 500);
  const out = await detectInterference(model, sinr.map((s) => [-90, -10, s]), { alerting: { ...rule, k: 2 }, timesMs: times });
  expect(out.episodes).toEqual([
    { start: 3, end: 4, startTime: '2022-10-04T15:00:01.500Z', endTime: '2022-10-04T15:00:02.000Z', durationS: 0.5, peakProbability: 0.8, meanProbability: 0.75 },
  ]);
  expect(out).toMatchObject({ model: 'fake', windowLength: 2, refused: 0, alerting: { ...rule, k: 2 } });
});

test.each([
  [{ alerting: { k: 0 } }, 'alerting/k: must be >= 1'],
  [{ alerting: { m: 1001 } }, 'alerting/m: must be <= 1000'],
  [{ alerting: { pOn: 0.4, pOff: 0.6 } }, 'alerting/pOff: must be in [0, pOn = 0.4]'],
  [{ timesMs: [1, 2] }, 'timestamps: must have as many items as rows (6), has 2'],
  [{ profile: { kind: 'kpi-profile' } }, /^profile\.version: /],
])('bad input %j: an InputError naming the field, before any forward pass', async (opts, message) => {
  const { model, batches } = fakeModel(3);
  const err = await detectInterference(model, rows(6), opts).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(InputError);
  expect((err as Error).message).toMatch(message);
  expect(batches).toEqual([]);
});

test('a measurement outside its reporting range is named by row and column', async () => {
  const { model } = fakeModel(3);
  await expect(detectInterference(model, [...rows(3), [-90, -10, 99]])).rejects.toThrow(/^rows\/3\/2: /);
});
