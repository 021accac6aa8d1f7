import { initEngine } from '../../../src/dnn/engine.js';
import { AR_STEPS } from '../../../src/dnn/kpi/base.js';
import { makeBatch, makeTargets, range } from '../../../src/dnn/kpi/data.js';
import { buildWindows, inferenceWindows } from '../../../src/datasets/kpi/windows.js';

beforeAll(async () => {
  await initEngine();
});

/** Window k, step t, feature f holds 100 k + 10 t + f: every value says where it came from. */
const T = 7;
const F = 2;
const ws = inferenceWindows(Float32Array.from({ length: 3 * T * F }, (_, i) => 100 * Math.floor(i / (T * F)) + 10 * Math.floor((i % (T * F)) / F) + (i % F)), T, F);

describe('makeBatch', () => {
  it('is time-major over the last `steps` steps of each window, in the order of idx', () => {
    const batch = makeBatch(ws, [2, 0], 2);
    expect(batch.x.shape).toEqual([2 * 2, F]);
    // t = 5 then t = 6; within a step, window 2 before window 0.
    expect(Array.from(batch.x.dataSync())).toEqual([250, 251, 50, 51, 260, 261, 60, 61]);
    expect(Array.from(batch.last.dataSync())).toEqual([260, 261, 60, 61]);
    expect([batch.steps, batch.batch]).toEqual([2, 2]);
    for (const t of [batch.x, batch.last, batch.recent]) t.dispose();
  });

  it('gives `recent` as the last AR_STEPS steps minus the last step, oldest first, whatever the context', () => {
    const batch = makeBatch(ws, [1], 1);
    const expected = range(T - AR_STEPS, T).flatMap((t) => [10 * (t - (T - 1)), 10 * (t - (T - 1))]);
    expect(Array.from(batch.recent.dataSync())).toEqual(expected);
    for (const t of [batch.x, batch.last, batch.recent]) t.dispose();
  });

  it('zero-pads `recent` on the left for windows shorter than AR_STEPS', () => {
    const short = inferenceWindows(Float32Array.from([1, 4, 9]), 3, 1);
    const batch = makeBatch(short, [0], 3);
    expect(Array.from(batch.recent.dataSync())).toEqual([...Array(AR_STEPS - 3).fill(0), -8, -5, 0]);
    for (const t of [batch.x, batch.last, batch.recent]) t.dispose();
  });

  it.each([0, 8, 1.5])('refuses a context of %p steps for a window of 7', (steps) => {
    expect(() => makeBatch(ws, [0], steps)).toThrow(`context must be an integer from 1 to the window length 7, got ${steps}`);
  });
});

describe('makeTargets', () => {
  it('takes the next-step targets and one-hot labels of the windows idx', () => {
    const values = Float32Array.from([0, 1, 2, 3, 4]);
    const set = buildWindows([{ values, labels: Int32Array.from([0, 1, 0, 0, 1]), range: [1], source: 0 }], 2, 1);
    const { y, onehot } = makeTargets(set, [2, 0]);
    expect(Array.from(y.dataSync())).toEqual([4, 2]);
    expect(Array.from(onehot.dataSync())).toEqual([1, 0, 0, 1]);
    y.dispose();
    onehot.dispose();
  });
});
