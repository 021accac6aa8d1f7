import { blockBounds, kpiTrainFolds } from '../../../scripts/experiments/kpi-folds.js';
import type { FcciqFile } from '../../../src/datasets/kpi/fcciq.js';

/** 100 rows whose three values are the row index, except one spike; train part = 80 rows. */
function file(spikeRow: number): FcciqFile {
  const values = new Float64Array(300);
  for (let i = 0; i < 100; i++) for (let j = 0; j < 3; j++) values[i * 3 + j] = i === spikeRow ? 1000 : i;
  return { name: 'f.csv', rowsRead: 100, dropped: 0, values, labels: Int32Array.from({ length: 100 }, (_, i) => i % 2) };
}

describe('blocked cross-validation folds (train part only)', () => {
  it('cuts n rows into contiguous blocks covering every row once', () => {
    expect(blockBounds(80, 4)).toEqual([[0, 20], [20, 40], [40, 60], [60, 80]]);
    expect(blockBounds(10, 3)).toEqual([[0, 3], [3, 6], [6, 10]]);
  });

  it('holds out one block; no training window touches it; the scaler never sees it', () => {
    const folds = kpiTrainFolds([file(25)], 5, 4);
    expect(folds).toHaveLength(4);
    const f1 = folds[1]; // held out: rows 20..39 (with the spike at 25)
    expect(f1.val.count).toBe(20 - 5);
    expect(f1.train.count).toBe(20 - 5 + (40 - 5));
    // Kept rows are 0..19 and 40..79, scaled by (i - 0) / 79; the spike (1000) is only in val, unscaled range.
    const seen = new Set<number>();
    for (let w = 0; w < f1.train.count; w++) {
      for (let t = 0; t < 5; t++) {
        const row = Math.round(f1.train.x[(w * 5 + t) * 3] * 79);
        expect(row < 20 || row >= 40).toBe(true);
        if (t > 0) expect(row - Math.round(f1.train.x[(w * 5 + t - 1) * 3] * 79)).toBe(1); // no window crosses the gap
        seen.add(row);
      }
    }
    expect(Math.max(...f1.val.x)).toBeGreaterThan(10); // the spike, scaled with the kept rows' range
    expect(Math.max(...seen)).toBe(78); // the last input row (79 is its target); 80..99 are val/test
    expect(() => kpiTrainFolds([file(25)], 5, 1)).toThrow(/folds must be/);
  });
});
