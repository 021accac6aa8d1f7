/** `radio-mtl serve --engine`, RADIO_MTL_ENGINE, --engine-threads and --engine-providers. */
import { resolveEngine } from '../../src/cli/commands/serve.js';
import { InputError } from '../../src/input-error.js';
import { runCli } from '../helpers/run-cli.js';

describe('radio-mtl serve engine options', () => {
  test('--engine, else $RADIO_MTL_ENGINE, else auto', () => {
    expect(resolveEngine(undefined, {})).toBe('auto');
    expect(resolveEngine(undefined, { RADIO_MTL_ENGINE: '' })).toBe('auto');
    expect(resolveEngine(undefined, { RADIO_MTL_ENGINE: 'tfjs' })).toBe('tfjs');
    expect(resolveEngine('onnxruntime', { RADIO_MTL_ENGINE: 'tfjs' })).toBe('onnxruntime');
    expect(() => resolveEngine(undefined, { RADIO_MTL_ENGINE: 'cuda' })).toThrow(InputError);
    expect(() => resolveEngine(undefined, { RADIO_MTL_ENGINE: 'cuda' })).toThrow("RADIO_MTL_ENGINE must be one of auto, onnxruntime, tfjs, got 'cuda'");
  });

  test.each([
    [['--engine', 'gpu'], /^radio-mtl: .*--engine.*'gpu'/],
    [['--engine-threads', '0'], /^radio-mtl: .*--engine-threads.*must be an integer >= 1, got '0'/],
    [['--engine-providers', 'cuda,,cpu'], /^radio-mtl: .*--engine-providers.*must be a comma-separated list of execution provider names/],
  ])('serve %j is refused with one line naming the option, exit code 2', async (args, message) => {
    const res = await runCli(['serve', '--no-models', ...args]);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(message);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
  });

  test('--help documents the engine options and RADIO_MTL_ENGINE', async () => {
    const res = await runCli(['serve', '--help']);
    for (const opt of ['--engine <name>', '--engine-threads', '--engine-providers', 'RADIO_MTL_ENGINE']) expect(res.stdout).toContain(opt);
  });
});
