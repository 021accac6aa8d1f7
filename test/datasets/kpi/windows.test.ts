import { buildWindows, inferenceWindows, windowCount, type Segment } from '../../../src/datasets/kpi/windows.js';

/** Row r of a segment with base b holds [b + r, b + r + 0.5]: every value says where it came from. */
function segment(base: number, labels: number[], source: number): Segment {
  const values = new Float32Array(labels.flatMap((_, r) => [base + r, base + r + 0.5]));
  return { values, labels: Int32Array.from(labels), range: [base + 1, base + 2], source };
}

describe('buildWindows', () => {
  // Window 3 over segments of 5, 4 and 2 rows: 2 + 1 + 0 windows.
  const ws = buildWindows([segment(0, [0, 0, 1, 0, 1], 3), segment(100, [1, 0, 0, 1], 7), segment(200, [1, 1], 9)], 3, 2);
  const rowsOf = (k: number) => Array.from(ws.x.subarray(k * 6, (k + 1) * 6)).filter((_, i) => i % 2 === 0);

  it('has n - w windows per segment and none for a segment shorter than the window', () => {
    expect(windowCount(5, 3)).toBe(2);
    expect(windowCount(2, 3)).toBe(0);
    expect(ws.count).toBe(3);
    expect(ws.x).toHaveLength(3 * 3 * 2);
  });

  it('window k covers rows k..k+w-1, targets row k+w, and never crosses into the next segment', () => {
    expect(rowsOf(0)).toEqual([0, 1, 2]);
    expect(rowsOf(1)).toEqual([1, 2, 3]);
    expect(rowsOf(2)).toEqual([100, 101, 102]);
    expect(Array.from(ws.x.subarray(0, 2))).toEqual([0, 0.5]);
    expect(Array.from(ws.y)).toEqual([3, 3.5, 4, 4.5, 103, 103.5]);
    expect(Array.from(ws.last)).toEqual([2, 2.5, 3, 3.5, 102, 102.5]);
  });

  it("labels each window with its last input row's label, and carries its segment's source and range", () => {
    expect(Array.from(ws.label)).toEqual([1, 0, 0]);
    expect(Array.from(ws.source)).toEqual([3, 3, 7]);
    expect(Array.from(ws.range)).toEqual([1, 2, 1, 2, 101, 102]);
  });

  it('refuses a window that is not an integer >= 1', () => {
    expect(() => buildWindows([], 0)).toThrow('window must be an integer >= 1, got 0');
  });
});

describe('inferenceWindows', () => {
  it("takes each window's last step as its last observation", () => {
    const ws = inferenceWindows(Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]), 3, 2);
    expect(ws.count).toBe(2);
    expect(Array.from(ws.last)).toEqual([5, 6, 11, 12]);
  });

  it('refuses inputs that are not whole windows', () => {
    expect(() => inferenceWindows(new Float32Array(7), 3, 2)).toThrow('x must hold whole windows of 3 steps x 2 features, got 7 values');
  });
});
