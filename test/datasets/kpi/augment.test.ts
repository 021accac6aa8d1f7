import seedrandom from 'seedrandom';
import { shiftLevels } from '../../../src/datasets/kpi/augment.js';
import { buildWindows } from '../../../src/datasets/kpi/windows.js';

/** Two files (sources 0 and 1) whose scalers map 10 dB and 20 dB to one unit. */
function windows() {
  const seg = (source: number, range: number) => ({
    values: Float32Array.from({ length: 8 * 3 }, (_, k) => k / 100),
    labels: Int32Array.from({ length: 8 }, (_, i) => i % 2),
    range: [range, range, range],
    source,
  });
  return buildWindows([seg(0, 10), seg(1, 20)], 3);
}

describe('level-shift augmentation', () => {
  it('adds one offset per file and column, at most maxDb in raw units, to inputs and targets alike', () => {
    const ws = windows();
    const out = shiftLevels(ws, 4, seedrandom('s'));
    const offsets = new Set<string>();
    for (let w = 0; w < ws.count; w++) for (let j = 0; j < 3; j++) {
      const dB = (out.last[w * 3 + j] - ws.last[w * 3 + j]) * ws.range[w * 3 + j];
      expect(Math.abs(dB)).toBeLessThanOrEqual(4);
      expect(Math.abs(dB)).toBeGreaterThan(0);
      // The change to predict (target - last) and the shape of the window are kept.
      expect(out.y[w * 3 + j] - out.last[w * 3 + j]).toBeCloseTo(ws.y[w * 3 + j] - ws.last[w * 3 + j], 5);
      for (let t = 0; t < 3; t++) expect((out.x[(w * 3 + t) * 3 + j] - ws.x[(w * 3 + t) * 3 + j]) * ws.range[w * 3 + j]).toBeCloseTo(dB, 3);
      offsets.add(`${ws.source[w]}:${j}:${dB.toFixed(3)}`);
    }
    expect(offsets.size).toBe(2 * 3);
    expect(out.label).toEqual(ws.label);
    // Seeded: the same stream gives the same shifts; the input is not modified.
    expect(shiftLevels(ws, 4, seedrandom('s')).x).toEqual(out.x);
    expect(windows().x).toEqual(ws.x);
  });

  it('refuses a negative or non-finite shift', () => {
    expect(() => shiftLevels(windows(), -1, Math.random)).toThrow(/level shift must be a finite number of dB >= 0, got -1/);
    expect(() => shiftLevels(windows(), Number.NaN, Math.random)).toThrow(/got NaN/);
  });
});
