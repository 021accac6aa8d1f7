import type { FcciqFile } from '../../../src/datasets/kpi/fcciq.js';
import { leaveOneFileOut, leaveOneOutRows } from '../../../scripts/experiments/kpi-leave-one-out.js';
import { unscaleValue } from '../../../src/measurements/scaler.js';

/** A file of n rows whose three values all equal `level` + row index; labels alternate. */
function file(name: string, n: number, level: number): FcciqFile {
  const values = new Float64Array(n * 3);
  for (let i = 0; i < n; i++) for (let j = 0; j < 3; j++) values[i * 3 + j] = level + i;
  return { name, rowsRead: n, dropped: 0, values, labels: Int32Array.from({ length: n }, (_, i) => i % 2) };
}

describe('leave-one-file-out split', () => {
  it('assigns rows: other files train (first 90%) and validate (last 10%); the left-out file calibrates then is scored', () => {
    const r = leaveOneOutRows([100, 50, 81], 1);
    expect(r.fit).toEqual([{ file: 0, start: 0, end: 90 }, { file: 2, start: 0, end: 73 }]);
    expect(r.train).toEqual(r.fit);
    expect(r.val).toEqual([{ file: 0, start: 90, end: 100 }, { file: 2, start: 73, end: 81 }]);
    expect(r.calibrate).toEqual({ file: 1, start: 0, end: 25 });
    expect(r.score).toEqual({ file: 1, start: 25, end: 50 });
    expect(() => leaveOneOutRows([10, 10], 2)).toThrow(/left-out file index/);
    expect(() => leaveOneOutRows([10], 0)).toThrow(/at least two files/);
  });

  it.each(['file-minmax', 'physical', 'profile', 'pooled', 'file-robust'] as const)('no row of the left-out file reaches training, validation or a fitted scaler (%s)', (inputs) => {
    // The left-out file's values (from 5000 up) lie far above every other file's (below 1000).
    const files = [file('a.csv', 60, 0), file('out.csv', 40, 5000), file('c.csv', 80, 500)];
    const s = leaveOneFileOut(files, 1, 5, inputs);
    expect(s.leftOut).toBe('out.csv');
    expect(s.trainFiles).toEqual(['a.csv', 'c.csv']);
    expect(Object.keys(s.scalers)).toEqual(['a.csv', 'c.csv']);
    for (const sc of [...Object.values(s.scalers), s.pooled]) for (let j = 0; j < 3; j++) {
      expect(sc.min[j]).toBeLessThan(1000);
      // profile: max = level + the reporting range's width; file-robust: median + the 10-90% spread (of both files pooled: wide).
      if (inputs !== 'profile' && inputs !== 'file-robust') expect(sc.max[j]).toBeLessThan(1000);
    }
    // Un-scale every training and validation value with its file's scaler: all come from a.csv or c.csv.
    for (const ws of [s.train, s.val]) {
      expect(ws.count).toBeGreaterThan(0);
      for (let w = 0; w < ws.count; w++) {
        expect([0, 2]).toContain(ws.source[w]);
        const sc = s.scalers[files[ws.source[w]].name];
        for (let k = 0; k < ws.window * 3; k++) expect(unscaleValue(sc, k % 3, ws.x[w * ws.window * 3 + k])).toBeLessThan(1000);
        for (let j = 0; j < 3; j++) expect(unscaleValue(sc, j, ws.y[w * 3 + j])).toBeLessThan(1000);
      }
    }
    // Training windows: a.csv rows 0..53 (54 = 60 - 6 validation rows) and c.csv 0..71; validation the rest.
    expect(s.train.count).toBe(54 - 5 + (72 - 5));
    expect(s.val.count).toBe(6 - 5 + (8 - 5));
    // The profile comes from the left-out file's first half only (rows 0..19: 5000..5019), its scored windows from the second.
    expect(s.calibration.length).toBe(20 * 3);
    expect(s.profile.min).toEqual([5000, 5000, 5000]);
    expect(s.profile.max).toEqual([5019, 5019, 5019]);
    for (const ws of [s.scored.withoutProfile, s.scored.withProfile]) {
      expect(ws.count).toBe(20 - 5);
      expect(Array.from(ws.source).every((f) => f === 1)).toBe(true);
      expect(Array.from(ws.label)).toEqual(Array.from({ length: 15 }, (_, k) => (20 + k + 4) % 2));
    }
    expect(unscaleValue(s.pooled, 0, s.scored.withoutProfile.x[0])).toBeCloseTo(5020, 3);
    if (inputs === 'pooled') {
      // One scaler for every file, the left-out one included: a profile changes nothing.
      expect(Object.values(s.scalers)).toEqual([s.pooled, s.pooled]);
      expect(s.scored.withProfile.x).toEqual(s.scored.withoutProfile.x);
    }
  });

  it('with labelledHistory (the in-cell upper bound), the left-out file\'s first half also trains and validates; its second half never does', () => {
    const r = leaveOneOutRows([100, 50, 81], 1, 0.1, { labelledHistory: true });
    // The first half (rows 0..24) is cut like any training file: 90% train, the rest validation.
    expect(r.fit).toEqual([{ file: 0, start: 0, end: 90 }, { file: 1, start: 0, end: 23 }, { file: 2, start: 0, end: 73 }]);
    expect(r.val).toEqual([{ file: 0, start: 90, end: 100 }, { file: 1, start: 23, end: 25 }, { file: 2, start: 73, end: 81 }]);
    expect(r.score).toEqual({ file: 1, start: 25, end: 50 });

    const files = [file('a.csv', 60, 0), file('out.csv', 80, 5000), file('c.csv', 80, 500)];
    const s = leaveOneFileOut(files, 1, 5, 'pooled', { labelledHistory: true });
    expect(s.trainFiles).toEqual(['a.csv', 'out.csv', 'c.csv']);
    // Rows 0..35 of out.csv train, 36..39 validate (windows of 5 steps: 31 and 0), rows 40.. are only scored.
    const fromLeftOut = (ws: typeof s.train) => Array.from(ws.source).filter((f) => f === 1).length;
    expect(fromLeftOut(s.train)).toBe(36 - 5);
    expect(fromLeftOut(s.val)).toBe(0);
    for (const ws of [s.train, s.val]) for (let w = 0; w < ws.count; w++) {
      if (ws.source[w] !== 1) continue;
      for (let j = 0; j < 3; j++) expect(unscaleValue(s.pooled, j, ws.y[w * 3 + j])).toBeLessThan(5040);
    }
    // The pooled scaler now spans the labelled half too, not the scored one.
    expect(s.pooled.max[0]).toBeCloseTo(5035, 6);
    expect(s.scored.withoutProfile.count).toBe(40 - 5);
  });
});
