import { rayleighGains } from '../../src/channels/rayleigh.js';
import { seededUniform } from '../../src/random.js';

describe('rayleighGains', () => {
  it('gives count x n gains of mean meanGain, the same for the same seed', () => {
    const g = rayleighGains(seededUniform('rayleigh-test'), 10000, 2, 3);
    expect(g).toHaveLength(20000);
    const mean = g.reduce((a, b) => a + b, 0) / g.length;
    // The mean of 20,000 draws of 3 Exp(1) has standard error 0.021: allow over 4 of them.
    expect(Math.abs(mean - 3)).toBeLessThan(0.09);
    expect(rayleighGains(seededUniform('rayleigh-test'), 10000, 2, 3)).toEqual(g);
    expect(rayleighGains(seededUniform('another seed'), 10000, 2, 3)).not.toEqual(g);
  });

  it('is the inverse CDF -ln(1 - U), and redraws the zero gain U = 0 would give', () => {
    const draws = [0, 0.5, 0.75];
    const g = rayleighGains(() => draws.shift()!, 1, 2, 2);
    expect(Array.from(g)).toEqual([2 * Math.LN2, 2 * Math.log(4)]);
  });
});
