import { fillGaps, gapProblem, MAX_MISSING_FRACTION } from '../../src/measurements/gaps.js';

/** 10 complete steps: RSRP -100..-91, RSRQ -20..-11, SINR 0..9. */
const complete = () => Array.from({ length: 10 }, (_, t): Array<number | null> => [-100 + t, -20 + t, t]);

describe('filling gaps in a KPI window', () => {
  it('leaves a complete window unchanged and counts nothing', () => {
    expect(fillGaps(complete())).toEqual({ window: complete(), imputed: 0 });
  });

  it('carries the last observed value of each column forward', () => {
    const w = complete();
    w[3][0] = null;
    w[4][0] = null;
    w[7][2] = null;
    const { window, imputed } = fillGaps(w);
    expect(imputed).toBe(3);
    expect(window[3][0]).toBe(-98);
    expect(window[4][0]).toBe(-98);
    expect(window[5][0]).toBe(-95);
    expect(window[7][2]).toBe(6);
    // Other columns of the same steps are untouched.
    expect(window[3][1]).toBe(-17);
    expect(window[7][0]).toBe(-93);
  });

  it('back-fills a leading gap with the column first observed value', () => {
    const w = complete();
    w[0][1] = null;
    w[1][1] = null;
    const { window, imputed } = fillGaps(w);
    expect(imputed).toBe(2);
    expect(window.map((r) => r[1]).slice(0, 3)).toEqual([-18, -18, -18]);
  });

  it('treats NaN like null, and does not modify its input', () => {
    const w = complete();
    w[5][2] = NaN;
    const copy = JSON.parse(JSON.stringify(w)) as unknown;
    expect(fillGaps(w)).toMatchObject({ imputed: 1 });
    expect(fillGaps(w).window[5][2]).toBe(4);
    w[5][2] = null;
    expect(w).toEqual(copy);
  });

  it('refuses to invent a column that holds no value', () => {
    const w = complete().map((r) => [r[0], null, r[2]]);
    expect(() => fillGaps(w)).toThrow(/column RSRQ holds no value/);
  });
});

describe('which gaps a window may have', () => {
  it('accepts a complete window and sparse gaps', () => {
    expect(gapProblem(complete(), 10)).toBeUndefined();
    const w = complete();
    w[2][0] = null;
    w[9][2] = null;
    expect(gapProblem(w, 5)).toBeUndefined();
  });

  it(`allows up to ${100 * MAX_MISSING_FRACTION}% of the values missing, not one more`, () => {
    // 10 steps x 3 = 30 values: 6 may be missing.
    const w = complete();
    for (let t = 0; t < 6; t++) w[t][t % 3] = null;
    expect(gapProblem(w, 10)).toBeUndefined();
    w[6][0] = null;
    expect(gapProblem(w, 10)).toBe('7 of its 30 values are null; at most 6 (20%) may be missing');
  });

  it('needs every column observed at least once in the steps the model reads', () => {
    const w = complete();
    w[8][2] = null;
    w[9][2] = null;
    expect(gapProblem(w, 3)).toBeUndefined();
    expect(gapProblem(w, 2)).toBe('SINR is null in all of its last 2 steps (the steps the model reads); each column needs at least one value there');
  });

  it('refuses an all-null window', () => {
    const w = complete().map(() => [null, null, null]);
    expect(gapProblem(w, 10)).toMatch(/^30 of its 30 values are null/);
  });
});
