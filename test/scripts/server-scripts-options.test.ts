/** bench:server and docs:api read their options with the shared reader: a bad one is one line and exit code 2, before any server starts. */
import { runScript } from './sweep.js';

describe.each([
  ['bench-server.ts', 'bench:server'],
  ['api-docs.ts', 'docs:api'],
])('%s', (script, name) => {
  it('answers --help with one line listing its options (exit 2)', () => {
    const r = runScript(script, ['--help']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^${name}: unknown option --help \\(options: --models, [^\\n]+\\)\\n$`));
  });

  it('refuses an option without its value by name (exit 2)', () => {
    const r = runScript(script, ['--models']);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`${name}: --models needs a value\n`);
  });
});

it('bench:server refuses a non-integer --duration by name (exit 2)', () => {
  const r = runScript('bench-server.ts', ['--duration', 'ten']);
  expect(r.status).toBe(2);
  expect(r.stderr).toBe(`bench:server: --duration must be an integer >= 1, got 'ten'\n`);
});
