import { defaultNetworkConfig } from '../../../src/dnn/allocation/network-config.js';
import { DEFAULT_ALLOCATION_PARAMS, TABLE_I, paperTasks } from '../../../src/dnn/allocation/tasks.js';

describe('defaultNetworkConfig', () => {
  it('takes Table I, with router normalisation and sorted inputs on', () => {
    const config = defaultNetworkConfig('routed', paperTasks(), DEFAULT_ALLOCATION_PARAMS);
    expect(config).toMatchObject({ scheme: 'routed', hiddenWidths: [20, 32, 32, 32, 32, 20], routerHidden: 20, gamma: 5, routerMu: 0.1, routerSigma: 0.001, routerNorm: true, sortInputs: true });
    expect(config.tasks).toHaveLength(14);
  });

  it('gives each config its own hidden widths, so changing one leaves Table I and other configs alone', () => {
    const a = defaultNetworkConfig('naive', paperTasks(), DEFAULT_ALLOCATION_PARAMS);
    a.hiddenWidths[0] = 99;
    expect(TABLE_I.hiddenWidths[0]).toBe(20);
    expect(defaultNetworkConfig('naive', paperTasks(), DEFAULT_ALLOCATION_PARAMS).hiddenWidths[0]).toBe(20);
  });
});
