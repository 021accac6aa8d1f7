/**
 * Blocked time-series cross-validation inside the TRAIN part of each CSV, for
 * choosing hyperparameters without touching the validation or test splits.
 *
 * The train rows of every file are cut into `folds` contiguous blocks; fold k holds
 * out block k of every file. The scaler of fold k is fitted on the kept rows only,
 * and the kept rows before and after the held-out block are separate segments, so
 * no window crosses a file or block boundary and nothing of the held-out block
 * reaches the fold's training windows or scaler.
 */
import { splitSizes, type FcciqFile } from '../../src/datasets/kpi/fcciq.js';
import { KPI_COLUMNS } from '../../src/measurements/domain.js';
import { fitMinMax, scaleRange, scaleValue } from '../../src/measurements/scaler.js';
import { buildWindows, type Segment, type WindowSet } from '../../src/datasets/kpi/windows.js';

export interface KpiFold {
  train: WindowSet;
  val: WindowSet;
}

/** Row ranges [start, end) of `folds` contiguous blocks of n rows (sizes differ by at most one). */
export function blockBounds(n: number, folds: number): Array<[number, number]> {
  return Array.from({ length: folds }, (_, k) => [Math.floor((k * n) / folds), Math.floor(((k + 1) * n) / folds)]);
}

export function kpiTrainFolds(files: FcciqFile[], window: number, folds: number): KpiFold[] {
  if (!Number.isInteger(folds) || folds < 2) throw new Error(`folds must be an integer >= 2, got ${folds}`);
  return Array.from({ length: folds }, (_, k) => {
    const train: Segment[] = [];
    const val: Segment[] = [];
    files.forEach((f, fi) => {
      const n = splitSizes(f.labels.length).train;
      const [a, b] = blockBounds(n, folds)[k];
      const kept: Array<[number, number]> = [[0, a], [b, n]].filter(([s, e]) => e > s) as Array<[number, number]>;
      const rowsOf = (s: number, e: number) => Array.from({ length: e - s }, (_, i) => f.values.subarray((s + i) * 3, (s + i + 1) * 3));
      const scaler = fitMinMax([...KPI_COLUMNS], kept.flatMap(([s, e]) => rowsOf(s, e)));
      const range = [0, 1, 2].map((j) => scaleRange(scaler, j));
      const segment = (s: number, e: number): Segment => {
        const values = new Float32Array((e - s) * 3);
        for (let i = s; i < e; i++) for (let j = 0; j < 3; j++) values[(i - s) * 3 + j] = scaleValue(scaler, j, f.values[i * 3 + j]);
        return { values, labels: f.labels.slice(s, e), range, source: fi };
      };
      for (const [s, e] of kept) train.push(segment(s, e));
      val.push(segment(a, b));
    });
    return { train: buildWindows(train, window), val: buildWindows(val, window) };
  });
}
