import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { makeTempDir } from '../../helpers/tmp.js';
import { writeFixture } from '../../dnn/kpi/fixture.js';
import { FcciqError, loadKpiDataset, parseFcciqCsv, prepareKpiDataset, splitSizes } from '../../../src/datasets/kpi/fcciq.js';
import { buildWindows } from '../../../src/datasets/kpi/windows.js';

describe('FccIQ data pipeline', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  beforeEach(() => (tmp = makeTempDir()));
  afterEach(() => tmp.cleanup());

  it('drops rows missing RSRP/RSRQ/SINR/lab_inf and counts them per file', () => {
    const text = ['Time,RSRP,RSRQ,SINR,lab_inf', '2022-01-01 00:00:00.1,-90,-10,20,0', '2022-01-01 00:00:00.2,-,-10,20,0', '2022-01-01 00:00:00.3,-91,,20,1', '2022-01-01 00:00:00.4,-92,-11,21,', '2022-01-01 00:00:00.5,-93,-12,22,1'].join('\n');
    const f = parseFcciqCsv(text, 'a.csv');
    expect(f.rowsRead).toBe(5);
    expect(f.dropped).toBe(3);
    expect(Array.from(f.values)).toEqual([-90, -10, 20, -93, -12, 22]);
    expect(Array.from(f.labels)).toEqual([0, 1]);
  });

  it('rejects a missing column, a non-numeric value and a non-binary label, naming file and column', () => {
    expect(() => parseFcciqCsv('Time,RSRP,RSRQ,lab_inf\nx,1,2,0\n', 'b.csv')).toThrow(/b\.csv: missing column 'SINR'/);
    expect(() => parseFcciqCsv('RSRP,RSRQ,SINR,lab_inf\n1,abc,2,0\n', 'c.csv')).toThrow(/c\.csv: row 2, column RSRQ must be a number/);
    expect(() => parseFcciqCsv('RSRP,RSRQ,SINR,lab_inf\n1,2,3,2\n', 'd.csv')).toThrow(FcciqError);
    expect(() => loadKpiDataset(join(tmp.dir, 'nope'))).toThrow(/--data: .* is not a directory/);
    expect(() => loadKpiDataset(tmp.dir)).toThrow(/no \.csv files/);
  });

  it('sorts rows chronologically', () => {
    const f = parseFcciqCsv('Time,RSRP,RSRQ,SINR,lab_inf\n2022-01-01 00:00:02,2,2,2,0\n2022-01-01 00:00:01,1,1,1,1\n', 'e.csv');
    expect(Array.from(f.values)).toEqual([1, 1, 1, 2, 2, 2]);
    expect(Array.from(f.labels)).toEqual([1, 0]);
  });

  it('splits each CSV 80/10/10 and fits the scaler on its train part only (no leakage)', () => {
    writeFixture(tmp.dir, { files: 2, rows: 100, missing: [5] });
    const d = loadKpiDataset(tmp.dir, 10);
    expect(d.files.map((f) => f.dropped)).toEqual([1, 1]);
    expect(d.files[0].rows).toEqual(splitSizes(99));
    expect(splitSizes(99)).toEqual({ train: 79, val: 9, test: 11 });
    // Changing val/test values must not change the scaler or the scaled train windows.
    const lines = readFileSync(join(tmp.dir, 'Lvl_0_fixture.csv'), 'utf8').split('\n');
    const n = lines.length - 2; // header + trailing newline
    for (let i = n - 15; i <= n; i++) {
      const c = lines[i].split(',');
      c[3] = '-20';
      lines[i] = c.join(',');
    }
    writeFileSync(join(tmp.dir, 'Lvl_0_fixture.csv'), lines.join('\n'));
    const d2 = loadKpiDataset(tmp.dir, 10);
    expect(d2.files[0].scaler).toEqual(d.files[0].scaler);
    expect(Array.from(d2.train.x)).toEqual(Array.from(d.train.x));
    // Train inputs lie in [0, 1]; the changed test RSRP is scaled with the train range, so > 1.
    expect(Math.max(...d.train.x)).toBeLessThanOrEqual(1);
    expect(Math.min(...d.train.x)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...Array.from(d2.test.y).filter((_, i) => i % 3 === 0))).toBeGreaterThan(1);
  });

  it('builds windows that never cross a CSV or split boundary, label at the last step, target = next step', () => {
    const mk = (base: number, n: number, source: number) => ({
      values: Float32Array.from({ length: n * 3 }, (_, i) => base + Math.floor(i / 3) + (i % 3) / 10),
      labels: Int32Array.from({ length: n }, (_, i) => (i % 2)),
      range: [1, 2, 3],
      source,
    });
    const w = buildWindows([mk(0, 7, 0), mk(100, 5, 1)], 3);
    expect(w.count).toBe(4 + 2);
    for (let k = 0; k < w.count; k++) {
      const first = w.x[k * 9];
      const lastIn = w.x[k * 9 + 6];
      expect(lastIn - first).toBeCloseTo(2); // consecutive rows of one segment
      expect(w.y[k * 3] - lastIn).toBeCloseTo(1); // target is the next row
      expect(w.last[k * 3]).toBe(lastIn);
      expect(w.label[k]).toBe((lastIn % 100) % 2); // label of the window's last row
    }
    expect(Array.from(w.source)).toEqual([0, 0, 0, 0, 1, 1]);
    expect(Array.from(w.x.subarray(4 * 9, 4 * 9 + 1))).toEqual([100]);
  });

  it('windows per split = rows - window, in every file', () => {
    writeFixture(tmp.dir, { files: 3, rows: 120 });
    const d = loadKpiDataset(tmp.dir, 7);
    for (const f of d.files) {
      expect(f.windows).toEqual({ train: f.rows.train - 7, val: f.rows.val - 7, test: f.rows.test - 7 });
    }
    expect(d.train.count).toBe(d.files.reduce((s, f) => s + f.windows.train, 0));
    expect(() => prepareKpiDataset([], 0)).toThrow(/--window/);
  });

  const REAL = resolve(process.cwd(), '..', 'shared', 'data', 'fcciq');
  (existsSync(REAL) ? it : it.skip)('real data: drop counts, 64.76% majority test class, persistence MSE', () => {
    const d = loadKpiDataset(REAL);
    expect(d.files.map((f) => f.dropped)).toEqual([3, 6, 1, 0]);
    expect(d.test.count).toBe(735);
    let pos = 0;
    for (const l of d.test.label) pos += l;
    expect(1 - pos / d.test.count).toBeCloseTo(0.6476, 4);
    const mse = [0, 1, 2].map((j) => {
      let s = 0;
      for (let i = 0; i < d.test.count; i++) s += (d.test.y[i * 3 + j] - d.test.last[i * 3 + j]) ** 2;
      return s / d.test.count;
    });
    expect(mse[0]).toBeCloseTo(1.76e-3, 4);
    expect(mse[1]).toBeCloseTo(3.37e-3, 4);
    expect(mse[2]).toBeCloseTo(3.14e-3, 4);
    // Lvl_6 has no interference in its validation and test parts.
    expect(d.files[2].positives.val + d.files[2].positives.test).toBe(0);
  });
});
