import { initEngine, tf } from '../../src/dnn/engine.js';
import { InputError } from '../../src/input-error.js';

describe('initEngine', () => {
  const saved = process.env.RADIO_MTL_BACKEND;
  beforeAll(() => delete process.env.RADIO_MTL_BACKEND);
  afterAll(() => {
    if (saved !== undefined) process.env.RADIO_MTL_BACKEND = saved;
  });

  it('refuses an unknown backend by name, listing the known ones', async () => {
    await expect(initEngine('gpu')).rejects.toThrow(InputError);
    await expect(initEngine('gpu')).rejects.toThrow("backend: must be one of tensorflow, wasm, cpu, got 'gpu'");
  });

  it('loads the backend asked for, then keeps it when none is asked for', async () => {
    expect(await initEngine('cpu')).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(await initEngine()).toBe('cpu');
  });

  it('RADIO_MTL_BACKEND asks for one when the caller does not', async () => {
    process.env.RADIO_MTL_BACKEND = 'nope';
    try {
      await expect(initEngine()).rejects.toThrow("backend: must be one of tensorflow, wasm, cpu, got 'nope'");
    } finally {
      delete process.env.RADIO_MTL_BACKEND;
    }
  });
});
