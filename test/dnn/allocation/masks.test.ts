import { maskDensity, maskJaccard } from '../../../src/dnn/allocation/masks.js';

describe('routing-mask overlap', () => {
  const a = Uint8Array.from([1, 1, 0, 0]);
  const b = Uint8Array.from([1, 0, 1, 0]);
  const none = Uint8Array.from([0, 0, 0, 0]);

  it('Jaccard: shared ones over ones of either, 1 on the diagonal and between two empty masks', () => {
    expect(maskJaccard([a, b, none])).toEqual([
      [1, 1 / 3, 0],
      [1 / 3, 1, 0],
      [0, 0, 1],
    ]);
  });

  it('density: the fraction of ones per task', () => {
    expect(maskDensity([a, Uint8Array.from([1, 1, 1, 0]), none])).toEqual([0.5, 0.75, 0]);
  });
});
