/** `radio-mtl serve`: its options, and --engine, RADIO_MTL_ENGINE, --engine-threads and --engine-providers. */
import { createServer, type AddressInfo } from 'node:net';
import { apiToken, resolveEngine, resolvePort } from '../../../src/settings.js';
import { InputError } from '../../../src/input-error.js';
import { runCli } from '../../helpers/run-cli.js';

describe('radio-mtl serve (options)', () => {
  test('--port, else $PORT, else 8080', () => {
    expect(resolvePort(undefined, {})).toBe(8080);
    expect(resolvePort(undefined, { PORT: '' })).toBe(8080);
    expect(resolvePort(undefined, { PORT: '9001' })).toBe(9001);
    expect(resolvePort(7000, { PORT: '9001' })).toBe(7000);
    expect(() => resolvePort(undefined, { PORT: 'http' })).toThrow(InputError);
    expect(() => resolvePort(undefined, { PORT: '70000' })).toThrow(/PORT: must be an integer port number 0-65535, got '70000'/);
  });

  test('--help documents the options and the environment', async () => {
    const res = await runCli(['serve', '--help']);
    for (const opt of ['--models', '--port', '--workers', '--max-batch-size', '--max-queue-delay-us', '--max-body-bytes', '--request-timeout-ms', 'RADIO_MTL_API_TOKEN', 'PORT']) {
      expect(res.stdout).toContain(opt);
    }
  });

  test('bad option values are refused with one line naming the option', async () => {
    const res = await runCli(['serve', '--workers', '0']);
    expect(res.code).not.toBe(0);
    expect(res.stderr).toMatch(/--workers: must be an integer >= 1, got '0'/);
  });

  test('a port in use is one line naming it, exit code 2', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as AddressInfo).port;
    try {
      const res = await runCli(['serve', '--no-models', '--port', String(port), '--log-level', 'silent', '--no-lambda-warmup']);
      expect(res.code).toBe(2);
      expect(res.stderr).toBe(`radio-mtl: --port: 127.0.0.1:${port} is already in use\n`);
    } finally {
      blocker.close();
    }
  });

  test('a --models directory that does not exist, or is a file, is one line naming it, exit code 2', async () => {
    let res = await runCli(['serve', '--models', 'no-such-dir', '--port', '0', '--log-level', 'silent']);
    expect(res.code).toBe(2);
    expect(res.stderr).toBe('radio-mtl: --models: no-such-dir does not exist (use --no-models to serve the exact and ipm solvers only)\n');
    res = await runCli(['serve', '--models', 'package.json', '--port', '0', '--log-level', 'silent']);
    expect(res.code).toBe(2);
    expect(res.stderr).toBe('radio-mtl: --models: package.json is not a directory\n');
  });

  test('RADIO_MTL_API_TOKEN that could never match a request is refused', () => {
    expect(apiToken({})).toBeUndefined();
    expect(apiToken({ RADIO_MTL_API_TOKEN: '' })).toBeUndefined();
    expect(apiToken({ RADIO_MTL_API_TOKEN: 'abc-DEF_123.~+/==' })).toBe('abc-DEF_123.~+/==');
    for (const bad of ['two words', ' lead', 'tab\there', 'quote"', 'é']) {
      expect(() => apiToken({ RADIO_MTL_API_TOKEN: bad })).toThrow(/^RADIO_MTL_API_TOKEN: must be one word of letters, digits and -\._~\+\/ \(RFC 6750 token68\)/);
    }
  });
});

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
