import { computeProfile, fitFileScalers, fitInputScaler, parseProfile, physicalScaler, quantileSorted, scalerFromProfile, ProfileError } from '../../src/measurements/inputs.js';
import { prepareKpiDataset, type FcciqFile } from '../../src/datasets/kpi/fcciq.js';
import { scaleValue } from '../../src/measurements/scaler.js';

/** 11 rows: RSRP -110..-100, RSRQ -20..-10, SINR 0..10 (dBm, dB, dB). */
const rows = Array.from({ length: 11 }, (_, i) => [-110 + i, -20 + i, i]);

describe('KPI input normalisation', () => {
  it('takes quantiles by linear interpolation', () => {
    expect(quantileSorted([1, 2, 3, 4], 0.5)).toBeCloseTo(2.5);
    expect(quantileSorted([1, 2, 3, 4], 0.9)).toBeCloseTo(3.7);
    expect(quantileSorted([5], 0.1)).toBe(5);
  });

  it('profiles raw rows per column, skipping missing values, as a small JSON object', () => {
    const p = computeProfile([...rows, [null, null, Number.NaN], [null, -15, null]], 'kpi-ple@abc');
    expect(p).toMatchObject({ kind: 'kpi-profile', version: 1, model: 'kpi-ple@abc', columns: ['RSRP', 'RSRQ', 'SINR'], rows: 12 });
    expect(p.min).toEqual([-110, -20, 0]);
    expect(p.max).toEqual([-100, -10, 10]);
    expect(p.median).toEqual([-105, -15, 5]);
    expect(p.q90.map((v) => +v.toFixed(6))).toEqual([-101, -11.1, 9]); // RSRQ has 12 values (one extra row)
    expect(JSON.parse(JSON.stringify(p))).toEqual(p);
    expect(() => computeProfile([], 'm')).toThrow(/rows: need at least one row/);
    expect(() => computeProfile([[1, null, 2]], 'm')).toThrow(/column RSRQ holds no value/);
  });

  it('file-minmax is the min-max scaler of the rows; physical ignores them; profile shifts by the 90th percentile', () => {
    expect(fitInputScaler('file-minmax', rows)).toEqual({ columns: ['RSRP', 'RSRQ', 'SINR'], min: [-110, -20, 0], max: [-100, -10, 10] });
    expect(fitInputScaler('physical', rows)).toEqual({ columns: ['RSRP', 'RSRQ', 'SINR'], min: [-156, -43, -23], max: [-31, 20, 40] });
    const s = fitInputScaler('profile', rows);
    // One scaled unit = the reporting range's width in dB on every cell; 0 = the cell's 90th percentile.
    expect(scaleValue(s, 0, -101)).toBeCloseTo(0);
    expect(scaleValue(s, 0, -101 - 125)).toBeCloseTo(-1);
    expect(scaleValue(s, 2, 9 - 6.3)).toBeCloseTo(-0.1);
    // Two cells whose levels differ by a constant get the same inputs.
    const shifted = fitInputScaler('profile', rows.map(([a, b, c]) => [a + 20, b, c - 7]));
    expect(scaleValue(shifted, 0, -90)).toBeCloseTo(scaleValue(s, 0, -110));
    expect(scaleValue(shifted, 2, 3)).toBeCloseTo(scaleValue(s, 2, 10));
    expect(physicalScaler()).toEqual(scalerFromProfile('physical', computeProfile(rows, 'm')));
  });

  it('pooled fits one min-max scaler on all training files together and gives it to every file, profile or not', () => {
    const other = rows.map(([a, b, c]) => [a - 20, b + 5, c + 30]);
    const { perFile, pooled } = fitFileScalers('pooled', [rows, other]);
    expect(pooled).toEqual({ columns: ['RSRP', 'RSRQ', 'SINR'], min: [-130, -20, 0], max: [-100, -5, 40] });
    expect(perFile).toEqual([pooled, pooled]);
    expect(scalerFromProfile('pooled', computeProfile(other, 'm'), pooled)).toEqual(pooled);
    expect(() => scalerFromProfile('pooled', computeProfile(other, 'm'))).toThrow(/pooled scaler/);
    // Per-file inputs keep one scaler per file; their pooled scaler is fitted on the rows together.
    const minmax = fitFileScalers('file-minmax', [rows, other]);
    expect(minmax.perFile[1].min).toEqual([-130, -15, 30]);
    expect(minmax.pooled).toEqual(pooled);
  });

  it('file-robust centres each cell on its median and scales by its 10-90% range', () => {
    const s = fitInputScaler('file-robust', rows);
    expect(s.min).toEqual([-105, -15, 5]);
    expect(s.max.map((v) => +v.toFixed(6))).toEqual([-97, -7, 13]); // + (q90 - q10) = 8
    expect(scaleValue(s, 2, 9)).toBeCloseTo(0.5);
    // A constant column gets one unit per dB instead of a division by zero.
    expect(fitInputScaler('file-robust', [[-100, -10, 3], [-100, -10, 3]]).max).toEqual([-99, -9, 4]);
    // Without a profile: the statistics of the training rows pooled.
    const other = rows.map(([a, b, c]) => [a - 11, b, c]);
    expect(fitFileScalers('file-robust', [rows, other]).pooled.min[0]).toBeCloseTo(-110.5);
  });

  it('accepts its own profile back and refuses a malformed or foreign one, naming the field', () => {
    const p = computeProfile(rows, 'kpi-ple@abc');
    expect(parseProfile(JSON.parse(JSON.stringify(p)), 'kpi-ple@abc')).toEqual(p);
    expect(() => parseProfile(p, 'kpi-mmoe@def')).toThrow(/profile\.model: made for model 'kpi-ple@abc', not 'kpi-mmoe@def'/);
    expect(() => parseProfile({ ...p, q90: [1, 2] }, 'kpi-ple@abc')).toThrow(/profile\.q90/);
    expect(() => parseProfile({ ...p, median: [1, null, 3] }, 'kpi-ple@abc')).toThrow(/profile\.median\.1/);
    expect(() => parseProfile({ ...p, version: 2 }, 'kpi-ple@abc')).toThrow(/profile\.version/);
    expect(() => parseProfile({ ...p, extra: 1 }, 'kpi-ple@abc')).toThrow(ProfileError);
    expect(() => parseProfile('x', 'kpi-ple@abc')).toThrow(/^profile: /);
  });

  it('is an option of the data pipeline, recorded with the dataset (default: file-minmax)', () => {
    const values = Float64Array.from(rows.flat());
    const f: FcciqFile = { name: 'f.csv', rowsRead: 11, dropped: 0, values, labels: new Int32Array(11) };
    expect(prepareKpiDataset([f], 3).inputs).toBe('file-minmax');
    expect(prepareKpiDataset([f], 3).files[0].scaler.max).toEqual([-103, -13, 7]); // train part: rows 0..7
    const d = prepareKpiDataset([f], 3, {}, 'physical');
    expect(d.inputs).toBe('physical');
    expect(d.files[0].scaler).toEqual(physicalScaler());
    expect(d.train.x[0]).toBeCloseTo((-110 + 156) / 125);
  });
});
