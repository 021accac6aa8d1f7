/** bench:server and docs:api read their options with the shared reader: --help is the usage, a bad option is one line and exit code 2, before any server starts. */
import { runScript } from './sweep.js';

describe.each([
  ['bench/bench-server.ts', 'bench:server'],
  ['docs/api-docs.ts', 'docs:api'],
])('%s', (script, name) => {
  it('answers --help with its usage, listing its options (exit 0)', () => {
    const r = runScript(script, ['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^usage: npm run ${name} -- \\[options\\]\\n`));
    expect(r.stdout).toMatch(/^ {2}--models DIR {2,}the models to serve/m);
  });

  it('refuses an option without its value by name (exit 2)', () => {
    const r = runScript(script, ['--models']);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`${name}: --models needs a value\n`);
  });

  it('refuses an unknown option in one line listing the known ones (exit 2)', () => {
    const r = runScript(script, ['--modles', 'm']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^${name}: unknown option --modles \\(options: --models, [^\\n]+, --help\\)\\n$`));
  });
});

it('bench:server refuses a non-integer --duration by name (exit 2)', () => {
  const r = runScript('bench/bench-server.ts', ['--duration', 'ten']);
  expect(r.status).toBe(2);
  expect(r.stderr).toBe(`bench:server: --duration must be an integer >= 1, got 'ten'\n`);
});
