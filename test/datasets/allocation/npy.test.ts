import { decodeNpy, encodeNpy, NpyError } from '../../../src/datasets/allocation/npy.js';

describe('npy', () => {
  it('round-trips 2-D and 1-D float64 arrays with a 64-byte aligned header', () => {
    const data = Float64Array.from([1, -2.5, Math.PI, 1e-300, 1e300, 0]);
    const bytes = encodeNpy(data, [2, 3]);
    const headerLen = bytes.readUInt16LE(8);
    expect((10 + headerLen) % 64).toBe(0);
    expect(bytes.toString('latin1', 10, 10 + headerLen)).toContain("'shape': (2, 3)");
    const back = decodeNpy(bytes);
    expect(back.shape).toEqual([2, 3]);
    expect(Array.from(back.data)).toEqual(Array.from(data));
    expect(decodeNpy(encodeNpy(data, [6])).shape).toEqual([6]);
    expect(encodeNpy(data, [6]).toString('latin1', 10, 80)).toContain("'shape': (6,)");
  });

  it('refuses truncated files, wrong magic and wrong shapes', () => {
    const bytes = encodeNpy(new Float64Array(4), [2, 2]);
    expect(() => decodeNpy(bytes.subarray(0, bytes.length - 3))).toThrow(/truncated or corrupted/);
    expect(() => decodeNpy(Buffer.from('hello world, not numpy'))).toThrow(NpyError);
    expect(() => encodeNpy(new Float64Array(3), [2, 2])).toThrow(/needs 4 values/);
  });
});
