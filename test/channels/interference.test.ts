import { gaussianInterferenceGains, geometricInterferenceGains, interferenceGains } from '../../src/channels/interference.js';
import { seededUniform } from '../../src/random.js';
import { GEOMETRIC_CHANNEL_DEFAULTS, INTERFERENCE_DEFAULTS } from '../../src/solvers/params.js';

const mean = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;

describe('interference channels', () => {
  it('Gaussian IC: K x K gains per instance, |h|^2 ~ Exp(1) (mean 1, variance 1), the same seed the same numbers', () => {
    const g = gaussianInterferenceGains(seededUniform('ic'), 2000, 5);
    expect(g.length).toBe(2000 * 25);
    const values = Array.from(g);
    expect(mean(values)).toBeCloseTo(1, 1);
    expect(mean(values.map((x) => (x - 1) ** 2))).toBeCloseTo(1, 1);
    expect(Math.min(...values)).toBeGreaterThan(0);
    expect(Array.from(gaussianInterferenceGains(seededUniform('ic'), 3, 5))).toEqual(values.slice(0, 75));
  });

  it('geometric: direct links (10-40 m) are far stronger than cross links, every gain finite and positive', () => {
    const k = 10;
    const count = 500;
    const g = geometricInterferenceGains(seededUniform('geo'), count, k, GEOMETRIC_CHANNEL_DEFAULTS);
    const direct: number[] = [];
    const cross: number[] = [];
    g.forEach((x, i) => ((i % (k * k)) % (k + 1) === 0 ? direct : cross).push(x));
    expect(direct.length).toBe(count * k);
    expect([...direct, ...cross].every((x) => Number.isFinite(x) && x > 0)).toBe(true);
    const median = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1];
    expect(median(direct)).toBeGreaterThan(30 * median(cross));
    // A direct link at d in [10, 40] m has mean SNR 1000 (d / 10)^-3.7: at most 1000 before fading.
    expect(median(direct)).toBeLessThan(1000);
  });

  it('interferenceGains follows params.channel and is deterministic per seed', () => {
    const geo = interferenceGains(seededUniform('x'), 4, 3, { ...INTERFERENCE_DEFAULTS, channel: 'geometric' });
    expect(Array.from(geo)).toEqual(Array.from(geometricInterferenceGains(seededUniform('x'), 4, 3, GEOMETRIC_CHANNEL_DEFAULTS)));
    const gauss = interferenceGains(seededUniform('x'), 4, 3, INTERFERENCE_DEFAULTS);
    expect(Array.from(gauss)).toEqual(Array.from(gaussianInterferenceGains(seededUniform('x'), 4, 3)));
  });
});
