import { initEngineFromOption } from '../../src/cli/engine-option.js';
import { InputError } from '../../src/input-error.js';

test('a backend that cannot be used is a --backend error, named once', async () => {
  await expect(initEngineFromOption('gpu')).rejects.toThrow(InputError);
  await expect(initEngineFromOption('gpu')).rejects.toThrow(/^--backend: must be one of tensorflow, wasm, cpu, got 'gpu'$/);
  expect(await initEngineFromOption('cpu')).toBe('cpu');
});
