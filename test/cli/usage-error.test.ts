import { spawnSync } from 'node:child_process';
import { runCli } from '../helpers/run-cli.js';

/** Every usage error: exit code 2 and exactly one line `radio-mtl: <what>: <rule> (see ... --help)` on stderr. */
describe('radio-mtl usage errors', () => {
  it.each([
    [['solve', '--problem', 'nope', '--input', 'x.json'], "radio-mtl: --problem: must be one of fdma-delay, sum-capacity, interference, got 'nope' (see radio-mtl solve --help)"],
    [['train', 'allocation', '--scheme', 'routed', '--out', 'x'], 'radio-mtl: --data: is required (see radio-mtl train allocation --help)'],
    [['train', 'kpi', '--arch', 'ple', '--data', 'x', '--out', 'y', '--epochs', '0'], "radio-mtl: --epochs: must be an integer >= 1, got '0' (see radio-mtl train kpi --help)"],
    [['solve', '--problem', 'fdma-delay', '--input', 'x.json', '--jsn'], 'radio-mtl: --jsn: unknown option (Did you mean --json?) (see radio-mtl solve --help)'],
    [['solve', '--problem', 'fdma-delay', '--input'], 'radio-mtl: --input: needs a value (see radio-mtl solve --help)'],
    [['solve', '--problem', 'fdma-delay', '--input', 'x.json', 'extra'], 'radio-mtl: extra: unexpected argument (options start with --) (see radio-mtl solve --help)'],
    [['nosuchcmd'], 'radio-mtl: nosuchcmd: unknown command, expected one of dataset, optimum, solve, bench, serve, train, evaluate, kpi, export, upgrade-model (see radio-mtl --help)'],
    [['train'], 'radio-mtl: missing command: one of allocation, kpi (see radio-mtl train --help)'],
    [[], 'radio-mtl: missing command: one of dataset, optimum, solve, bench, serve, train, evaluate, kpi, export, upgrade-model (see radio-mtl --help)'],
    [['dataset', '--n', '4,0', '--out', 'x'], "radio-mtl: --n: must be a comma-separated list of integers >= 1, got '4,0' (see radio-mtl dataset --help)"],
    [['serve', '--port', '99999'], "radio-mtl: --port: must be an integer from 0 to 65535, got '99999' (see radio-mtl serve --help)"],
    [['serve', '--workers', '1.5'], "radio-mtl: --workers: must be an integer >= 1, got '1.5' (see radio-mtl serve --help)"],
  ])('%j: one line, exit 2', async (args, line) => {
    const r = await runCli(args);
    expect(r).toEqual({ code: 2, stdout: '', stderr: `${line}\n` });
  });

  it('keeps commander\'s suggestion for a misspelt command', async () => {
    const r = await runCli(['sovle']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^radio-mtl: sovle: unknown command, .*\(Did you mean solve\?\)/);
  });

  it('shows the help on --help only, on stdout, exit 0', async () => {
    const r = await runCli(['solve', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Usage: radio-mtl solve \[options\]/);
    expect(r.stderr).toBe('');
  });

  it('serve --host that does not resolve names --host', async () => {
    const r = await runCli(['serve', '--host', '999.1.1.1', '--port', '0', '--models', 'models', '--log-level', 'silent', '--no-lambda-warmup']);
    expect(r).toEqual({ code: 2, stdout: '', stderr: "radio-mtl: --host: '999.1.1.1' is neither an IP address nor a host name that resolves\n" });
  });

  it('the installed binary prints the same line and exits 2 (no help, no stack trace)', () => {
    const r = spawnSync('bin/radio-mtl', ['solve', '--problem', 'nope', '--input', 'x.json'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe("radio-mtl: --problem: must be one of fdma-delay, sum-capacity, interference, got 'nope' (see radio-mtl solve --help)\n");
  });
});
