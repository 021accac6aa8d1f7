/** The endpoint table of docs/api.md (written by scripts/docs/api-docs-intro.ts) lists every operation of openapi.yaml. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { introSection } from '../../../scripts/docs/api-docs-intro.js';
import { ROOT } from '../../../scripts/shared/lib.js';
import { loadSpec } from '../../../src/server/spec.js';

const operations = Object.entries(loadSpec().doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`));
const endpointTable = (page: string) => /## Endpoints\n\n([\s\S]*?)\n\n/.exec(page)?.[1] ?? '';

it('the generator lists every operation in the endpoint table', () => {
  const table = endpointTable(introSection('models', '0.1.0', 'http://127.0.0.1:8080', () => ''));
  expect(operations.length).toBeGreaterThan(10);
  expect(operations.filter((op) => !table.includes(`\`${op}\``))).toEqual([]);
});

it('so does the committed docs/api.md', () => {
  const table = endpointTable(readFileSync(join(ROOT, 'docs', 'api.md'), 'utf8'));
  expect(operations.filter((op) => !table.includes(`\`${op}\``))).toEqual([]);
});
