import { initEngine, tf } from '../../../src/dnn/engine.js';
import { allocateInterference, taskFor } from '../../../src/dnn/interference/allocate.js';
import { InterferenceNetwork } from '../../../src/dnn/interference/network.js';
import { gaussianInterferenceGains } from '../../../src/channels/interference.js';
import { seededUniform } from '../../../src/random.js';

beforeAll(async () => {
  await initEngine();
});

const config = { scheme: 'single-task' as const, sizes: [3, 5], hiddenWidths: [8], routerHidden: 4, routerMu: 0.1, routerSigma: 0.001, gamma: 5, maxPowerW: 0.1 };

describe('allocateInterference', () => {
  it('a saturated output answers exactly Pmax, never float32(Pmax) = 0.10000000149', () => {
    const net = new InterferenceNetwork(config, 1);
    const last = net.b[net.b.length - 1];
    last.assign(tf.fill(last.shape, 100));
    const p = allocateInterference(net, { diagMean: 0, diagSd: 1, crossMean: 0, crossSd: 1 }, gaussianInterferenceGains(seededUniform('a'), 4, 3), 4, 3);
    expect(Array.from(new Set(p))).toEqual([0.1]);
    net.dispose();
  });

  it('serves an untrained K by the smallest trained K >= it, and maps sorted positions back to the pairs', () => {
    const net = new InterferenceNetwork({ ...config, maxPowerW: 1 }, 2);
    expect([1, 3, 4, 5].map((k) => taskFor(net, k))).toEqual([0, 0, 1, 1]);
    expect(() => taskFor(net, 6)).toThrow('gains: the model serves K <= 5 pairs (its input is a 5 x 5 grid), got K = 6');
    // Relabelling the pairs of an instance relabels its answer the same way.
    const g = gaussianInterferenceGains(seededUniform('b'), 1, 3);
    const perm = [2, 0, 1];
    const permuted = new Float64Array(9);
    for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) permuted[r * 3 + c] = g[perm[r] * 3 + perm[c]];
    const scale = { diagMean: 0, diagSd: 1, crossMean: 0, crossSd: 1 };
    const p = allocateInterference(net, scale, g, 1, 3);
    const q = allocateInterference(net, scale, permuted, 1, 3);
    expect(Array.from(q)).toEqual(perm.map((i) => p[i]));
    net.dispose();
  });
});
