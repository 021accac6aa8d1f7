import { gaussianInterferenceGains } from '../../src/channels/interference.js';
import { seededUniform } from '../../src/random.js';
import { exhaustiveOnOff } from '../../src/solvers/interference-on-off.js';
import { INTERFERENCE_DEFAULTS } from '../../src/solvers/params.js';
import { gridSearch } from '../helpers/interference-grid.js';

const limits = INTERFERENCE_DEFAULTS;

describe('exhaustive on/off power control', () => {
  it('K = 2: exhaustive on/off equals a 101 x 101 grid search (binary power control is optimal at K = 2)', () => {
    const count = 40;
    const g = gaussianInterferenceGains(seededUniform('wmmse-test:k2'), count, 2);
    const onOff = exhaustiveOnOff(g, count, 2, limits);
    for (let s = 0; s < count; s++) expect(onOff.sumRate[s]).toBeCloseTo(gridSearch(g, s, 2, 100), 10);
  });


  it('K = 4: no on/off set does better, the powers are 0 or Pmax and give the reported rate', () => {
    const g = gaussianInterferenceGains(seededUniform('on-off:k4'), 20, 4);
    const r = exhaustiveOnOff(g, 20, 4, limits);
    expect(Array.from(new Set(r.power)).sort()).toEqual([0, 1]);
    for (let s = 0; s < 20; s++) expect(r.sumRate[s]).toBeCloseTo(gridSearch(g, s, 4, 1), 12);
  });

  it('refuses K > 10 (2^K sets) naming K', () => {
    expect(() => exhaustiveOnOff(new Float64Array(121), 1, 11, limits)).toThrow('K: exhaustive on/off power control takes K <= 10 (2^K sets), got 11');
  });
});
