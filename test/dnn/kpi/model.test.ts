import { readFileSync } from 'node:fs';
import { initEngine } from '../../../src/dnn/engine.js';
import { loadKpiModel } from '../../../src/dnn/kpi/model.js';
import { modelFilePath } from '../../../src/dnn/model-io.js';

beforeAll(async () => {
  await initEngine();
});

test("the shipped KPI model, saved with the older header spelling, loads unchanged and reads in today's", () => {
  const onDisk = JSON.parse(readFileSync(modelFilePath('models/kpi-ple', 'model.json'), 'utf8')).manifest;
  expect(onDisk.kind).toBe('kpi-model');
  const { model, manifest } = loadKpiModel('models/kpi-ple');
  expect(manifest.kind).toBe('radio-mtl/kpi');
  expect(manifest.toolVersion).toBe(onDisk.version);
  expect(manifest).not.toHaveProperty('version');
  expect(manifest.arch).toBe(onDisk.arch);
  for (const v of Object.values(model.params.vars)) v.dispose();
});
