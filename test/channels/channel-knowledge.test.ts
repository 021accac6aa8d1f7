import { isPerfect, observeGains, PERFECT_KNOWLEDGE } from '../../src/channels/channel-knowledge.js';
import { rayleighGains } from '../../src/channels/rayleigh.js';
import { seededUniform } from '../../src/random.js';

const gains = rayleighGains(seededUniform('ck-test'), 40_000, 5, 2);
const mean = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v, 0) / a.length;

describe('observed gains under imperfect channel knowledge', () => {
  test('the same seed gives the same observation, another seed another', () => {
    const k = { errorVariance: 0.1, missingFraction: 0.1 };
    expect(observeGains(gains, 2, k, 'a')).toEqual(observeGains(gains, 2, k, 'a'));
    expect(observeGains(gains, 2, k, 'a')).not.toEqual(observeGains(gains, 2, k, 'b'));
  });

  test('perfect knowledge observes the true gains exactly', () => {
    expect(isPerfect(PERFECT_KNOWLEDGE)).toBe(true);
    expect(observeGains(gains, 2, PERFECT_KNOWLEDGE, 'a')).toEqual(gains);
  });

  test('the error is relative: gains and mean gain scaled by c give the observation scaled by c', () => {
    const k = { errorVariance: 0.3, missingFraction: 0.2 };
    const scaled = observeGains(gains.map((g) => g * 1e-9), 2e-9, k, 'a');
    const base = observeGains(gains, 2, k, 'a');
    base.forEach((v, i) => expect(scaled[i] / 1e-9).toBeCloseTo(v, 9));
  });

  test('|h + e|^2 with E|e|^2 = sigma^2 x mean gain: E[g_hat - g] = sigma^2 x mean gain, and var matches', () => {
    // For h = sqrt(g) fixed and e ~ CN(0, s2): E[g_hat] = g + s2, Var[g_hat] = 2 g s2 + s2^2.
    const s2 = 0.1 * 2;
    const obs = observeGains(gains, 2, { errorVariance: 0.1, missingFraction: 0 }, 'moments');
    const diff = obs.map((v, i) => v - gains[i]);
    const se = Math.sqrt((2 * mean(gains) * s2 + s2 * s2) / diff.length);
    expect(Math.abs(mean(diff) - s2)).toBeLessThan(4 * se);
    const centred = diff.map((d, i) => (d - s2) ** 2 - (2 * gains[i] * s2 + s2 * s2));
    expect(Math.abs(mean(centred))).toBeLessThan(0.02 * (2 * mean(gains) * s2 + s2 * s2));
  });

  test('a missing gain is imputed with the mean gain, for about the asked fraction of users', () => {
    const obs = observeGains(gains, 2, { errorVariance: 0, missingFraction: 0.25 }, 'missing');
    const imputed = obs.filter((v, i) => v !== gains[i]);
    expect(imputed.every((v) => v === 2)).toBe(true);
    const fraction = imputed.length / obs.length;
    expect(Math.abs(fraction - 0.25)).toBeLessThan(4 * Math.sqrt((0.25 * 0.75) / obs.length));
  });

  test('refuses a negative error variance and a missing fraction outside [0, 1)', () => {
    expect(() => observeGains(gains, 2, { errorVariance: -0.1, missingFraction: 0 }, 'a')).toThrow('errorVariance must be >= 0, got -0.1');
    expect(() => observeGains(gains, 2, { errorVariance: 0, missingFraction: 1 }, 'a')).toThrow('missingFraction must be in [0, 1), got 1');
  });
});
