import { createHash } from 'node:crypto';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir } from '../../helpers/tmp.js';
import { initEngine, tf } from '../../../src/dnn/engine.js';
import { loadKpiModel } from '../../../src/dnn/kpi/model.js';
import { modelFilePath } from '../../../src/dnn/model-io.js';

beforeAll(async () => {
  await initEngine();
});

/** A copy of the shipped model whose manifest is edited by `edit`, checksums updated (a file that verifies but does not fit). */
function withManifest(dir: string, edit: (manifest: Record<string, unknown>) => Record<string, unknown>): string {
  cpSync('models/kpi-ple', dir, { recursive: true });
  const file = modelFilePath(dir, 'model.json');
  const json = JSON.parse(readFileSync(file, 'utf8'));
  json.manifest = edit(json.manifest);
  const text = JSON.stringify(json);
  writeFileSync(file, text);
  const pointer = JSON.parse(readFileSync(join(dir, 'current.json'), 'utf8'));
  pointer.files['model.json'] = { sha256: createHash('sha256').update(text).digest('hex'), bytes: Buffer.byteLength(text) };
  writeFileSync(join(dir, 'current.json'), JSON.stringify(pointer));
  return dir;
}

/** A copy of the shipped model whose manifest has the older header spelling (kind 'kpi-model', 'version'), checksums updated. */
function withOlderHeader(dir: string): string {
  return withManifest(dir, ({ toolVersion, ...rest }) => ({ ...rest, kind: 'kpi-model', version: toolVersion }));
}

test("a KPI model saved with the older header spelling loads unchanged and reads in today's", () => {
  const tmp = makeTempDir();
  try {
    const dir = withOlderHeader(join(tmp.dir, 'old'));
    const onDisk = JSON.parse(readFileSync(modelFilePath(dir, 'model.json'), 'utf8')).manifest;
    expect(onDisk.kind).toBe('kpi-model');
    const { model, manifest } = loadKpiModel(dir);
    expect(manifest.kind).toBe('radio-mtl/kpi');
    expect(manifest.toolVersion).toBe(onDisk.version);
    expect(manifest).not.toHaveProperty('version');
    expect(manifest.arch).toBe(onDisk.arch);
    const shipped = loadKpiModel('models/kpi-ple');
    for (const [k, v] of Object.entries(model.params.vars)) expect(v.dataSync()).toEqual(shipped.model.params.vars[k].dataSync());
    for (const v of [...Object.values(model.params.vars), ...Object.values(shipped.model.params.vars)]) v.dispose();
  } finally {
    tmp.cleanup();
  }
});

test('a KPI model whose weights do not fit its manifest is refused by name, leaving no tensor behind', () => {
  const tmp = makeTempDir();
  try {
    const dir = withManifest(join(tmp.dir, 'wider'), (m) => ({ ...m, config: { ...(m.config as object), hidden: 8 } }));
    const before = tf.memory().numTensors;
    expect(() => loadKpiModel(dir)).toThrow(/weight '[^']+' has shape .*, expected /);
    expect(tf.memory().numTensors).toBe(before);
  } finally {
    tmp.cleanup();
  }
});
