/**
 * The shipped models load as they are, and an edit of one byte of their manifest (a power
 * budget, a KPI scaler minimum) makes the server refuse them, naming model.json and the rule.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { modelFilePath } from '../../src/dnn/model-io.js';
import { defaultLoaders } from '../../src/server/loaders.js';
import { ModelRegistry } from '../../src/server/registry.js';
import { makeTempDir } from '../helpers/tmp.js';

let tmp: ReturnType<typeof makeTempDir>;
beforeAll(() => (tmp = makeTempDir()));
afterAll(() => tmp.cleanup());

/** Copies a shipped model to `name` and replaces `from` by `to` in its model.json. */
function editedCopy(model: string, name: string, from: string, to: string): void {
  const dir = join(tmp.dir, name);
  cpSync(join('models', model), dir, { recursive: true });
  const path = modelFilePath(dir, 'model.json');
  const text = readFileSync(path, 'utf8');
  expect(text).toContain(from);
  writeFileSync(path, text.replace(from, to));
}

test('edited copies of the shipped models are refused, untouched copies served', async () => {
  cpSync('models', tmp.dir, { recursive: true });
  editedCopy('allocation-routed', 'allocation-budget-edited', '"totalPowerW": 10,', '"totalPowerW": 90,');
  editedCopy('kpi-ple', 'kpi-scaler-edited', '-138.5,', '-138.6,');
  const registry = new ModelRegistry(await defaultLoaders(), pino({ level: 'silent' }));
  await registry.loadAll(tmp.dir);
  expect(registry.models.map((m) => m.name)).toEqual(['allocation-routed', 'interference-routed', 'kpi-ple']);
  expect(registry.refused.map((r) => r.name)).toEqual(['allocation-budget-edited', 'kpi-scaler-edited']);
  for (const r of registry.refused) expect(r.reason).toMatch(/v[0-9]+\/model\.json: sha256 [0-9a-f]{12}\.\.\. does not match current\.json .*corrupted or was edited/);
}, 60_000);
