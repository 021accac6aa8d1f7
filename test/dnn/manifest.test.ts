import { currentManifest, modelFamily } from '../../src/dnn/manifest.js';

describe('manifest header', () => {
  it('tells the family from the kind, older spellings included, and nothing from other kinds', () => {
    expect(modelFamily({ kind: 'radio-mtl/allocation' })).toBe('allocation');
    expect(modelFamily({ kind: 'radio-mtl/kpi' })).toBe('kpi');
    expect(modelFamily({ kind: 'kpi-model' })).toBe('kpi');
    expect(modelFamily({ kind: 'kpi-checkpoint' })).toBeUndefined();
    expect(modelFamily({})).toBeUndefined();
    expect(modelFamily(null)).toBeUndefined();
  });

  it("reads an older KPI manifest in today's spelling; today's manifests are returned as they are", () => {
    const old = { kind: 'kpi-model', arch: 'ple', version: '0.0.9', backend: 'wasm', createdAt: 'then' };
    expect(currentManifest(old)).toEqual({ kind: 'radio-mtl/kpi', arch: 'ple', toolVersion: '0.0.9', backend: 'wasm', createdAt: 'then' });
    const now = { kind: 'radio-mtl/allocation', toolVersion: '0.1.0', backend: 'wasm', createdAt: 'now' };
    expect(currentManifest(now)).toBe(now);
  });
});
