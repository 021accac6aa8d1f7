import { initEngine, tf } from '../../../src/dnn/engine.js';
import { allocateInterference } from '../../../src/dnn/interference/allocate.js';
import { bestHead } from '../../../src/dnn/interference/heads.js';
import { InterferenceNetwork, type InterferenceNetworkConfig } from '../../../src/dnn/interference/network.js';
import { gaussianInterferenceGains } from '../../../src/channels/interference.js';
import { seededUniform } from '../../../src/random.js';
import { sumRates } from '../../../src/solvers/interference-objective.js';

beforeAll(async () => {
  await initEngine();
});

const scale = { diagMean: 0, diagSd: 1, crossMean: 0, crossSd: 1 };

describe('bestHead', () => {
  it('answers, per instance, the candidate of highest sum rate; the first one on a tie', () => {
    const k = 3;
    // Instance 0: random gains; instance 1: every gain 1, so [1, 0, 0] and [0, 1, 0] tie exactly (1 bit each).
    const gains = Float64Array.from([...gaussianInterferenceGains(seededUniform('heads-a'), 1, k), ...new Array(9).fill(1)]);
    const on = [1, 1, 1];
    const one = [1, 0, 0];
    const two = [0, 0.5, 1];
    const candidates = Float64Array.from([...on, ...one, ...two, ...[0, 0, 0], ...[0, 1, 0], ...one]);
    const answer = bestHead(candidates, gains, 2, k, 3, 1);
    const rate = (p: number[]) => sumRates(gains.subarray(0, 9), 1, k, p, 1)[0];
    const best0 = [on, one, two].reduce((a, b) => (rate(b) > rate(a) ? b : a));
    expect(new Set([on, one, two].map(rate)).size).toBe(3);
    expect(Array.from(answer.subarray(0, 3))).toEqual(best0);
    expect(Array.from(answer.subarray(3, 6))).toEqual([0, 1, 0]);
  });
});

describe('allocateInterference with several heads', () => {
  const config: InterferenceNetworkConfig = { scheme: 'routed', sizes: [3, 5], hiddenWidths: [8, 8], routerHidden: 4, routerMu: 0.1, routerSigma: 0.001, gamma: 5, maxPowerW: 1, heads: 3, noisePowerW: 1 };

  /** A one-head network answering exactly what head `h` of `net` proposes (its columns of the last layer). */
  function headAlone(net: InterferenceNetwork, h: number): InterferenceNetwork {
    const alone = new InterferenceNetwork({ ...config, heads: 1 }, 1);
    const weights = net.namedWeights();
    const last = net.W.length - 1;
    const cols = (t: tf.Tensor) => tf.slice(t, [0, h * net.maxK], [-1, net.maxK]);
    alone.setWeights({ ...weights, [`W${last}`]: cols(weights[`W${last}`]), [`b${last}`]: tf.reshape(cols(tf.reshape(weights[`b${last}`], [1, -1])), [net.maxK]) });
    return alone;
  }

  it('serves, per instance, the head whose powers have the highest sum rate (each head checked as a network of its own)', () => {
    const net = new InterferenceNetwork(config, 4);
    const masks = net.maskedLayers.map((l, i) => tf.cast(tf.greater(tf.randomUniform([net.T, net.widths[l], net.widths[l + 1]], 0, 1, 'float32', 10 + i), 0.4), 'float32'));
    const own = Object.fromEntries(Object.entries(net.namedWeights()).map(([name, t]) => [name, tf.clone(t)]));
    net.setWeights({ ...own, ...Object.fromEntries(net.maskedLayers.map((l, i) => [`mask${l}`, masks[i]])) });
    const alone = [0, 1, 2].map((h) => headAlone(net, h));
    try {
      for (const k of [3, 4, 5]) {
        const count = 200;
        const gains = gaussianInterferenceGains(seededUniform(`heads-b-${k}`), count, k);
        const served = sumRates(gains, count, k, allocateInterference(net, scale, gains, count, k), 1);
        const perHead = alone.map((a) => sumRates(gains, count, k, allocateInterference(a, scale, gains, count, k), 1));
        const wins = [0, 0, 0];
        for (let s = 0; s < count; s++) {
          const rates = perHead.map((r) => r[s]);
          expect(served[s]).toBeCloseTo(Math.max(...rates), 9);
          wins[rates.indexOf(Math.max(...rates))]++;
        }
        // The heads differ: more than one of them is chosen somewhere.
        expect(wins.filter((w) => w > 0).length).toBeGreaterThan(1);
      }
    } finally {
      [net, ...alone].forEach((n) => n.dispose());
    }
  });

  it('refuses to choose without the noise power', () => {
    const net = new InterferenceNetwork({ ...config, noisePowerW: undefined }, 1);
    expect(() => allocateInterference(net, scale, gaussianInterferenceGains(seededUniform('c'), 1, 3), 1, 3)).toThrow('needs noisePowerW');
    net.dispose();
  });
});
