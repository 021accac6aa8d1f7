import { jest } from '@jest/globals';
import * as tf from '@tensorflow/tfjs';

// A defect inside a command (here: the engine throwing a TypeError) is a bug, not bad input.
jest.unstable_mockModule('../../src/dnn/engine.js', () => ({
  tf,
  BACKENDS: ['tensorflow', 'wasm', 'cpu'],
  initEngine: async () => {
    throw new TypeError("Cannot read properties of undefined (reading 'setBackend')");
  },
}));

const { runCli } = await import('../helpers/run-cli.js');

describe('radio-mtl internal errors', () => {
  it('a bug in evaluate kpi exits 1 with "internal error", not 2 as if the input were bad', async () => {
    const r = await runCli(['evaluate', 'kpi', '--model', 'models/kpi-ple', '--data', 'no-such-dir']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^radio-mtl: internal error: TypeError: Cannot read properties of undefined/);
    expect(r.stdout).toBe('');
  });
});
