import { historyWindows } from '../../src/measurements/history.js';

const rows = (n: number) => Array.from({ length: n }, (_, i) => [i, 10 * i, 100 * i] as Array<number | null>);

describe('history windows (what a profile learns the forecast gain from)', () => {
  it('pairs every window with the row after it', () => {
    const h = historyWindows(rows(6), 3);
    expect(h.windows).toEqual([rows(3), rows(4).slice(1), rows(5).slice(2)]);
    expect(h.next).toEqual([[3, 30, 300], [4, 40, 400], [5, 50, 500]]);
  });

  it('has no window when the history is not longer than one window', () => {
    expect(historyWindows(rows(3), 3)).toEqual({ windows: [], next: [] });
  });

  it('fills gaps inside windows but skips a window whose next row has a gap', () => {
    const r = rows(6);
    r[1] = [null, 10, 100];
    r[4] = [4, null, 400];
    const h = historyWindows(r, 3);
    // Window 1..3 is followed by row 4 (a gap): skipped. Row 1's RSRP gap takes row 0's value.
    expect(h.next).toEqual([[3, 30, 300], [5, 50, 500]]);
    expect(h.windows[0][1]).toEqual([0, 10, 100]);
  });

  it('thins a long history to evenly spaced windows', () => {
    const h = historyWindows(rows(1003), 3, 10);
    expect(h.windows).toHaveLength(10);
    expect(h.next.map((n) => n[0])).toEqual([3, 103, 203, 303, 403, 503, 603, 703, 803, 903]);
  });
});
