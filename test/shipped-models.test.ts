import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveModelDir, SHIPPED_MODELS_DIR } from '../src/shipped-models.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

describe('resolveModelDir', () => {
  it('finds the package models/ folder', () => {
    expect(SHIPPED_MODELS_DIR).toBe(join(ROOT, 'models'));
  });

  it('turns a bare name of a shipped model into its folder, whatever the working directory', () => {
    expect(resolveModelDir('allocation-routed')).toBe(join(ROOT, 'models', 'allocation-routed'));
    expect(resolveModelDir('kpi-ple')).toBe(join(ROOT, 'models', 'kpi-ple'));
  });

  it('leaves paths and names of no shipped model as given', () => {
    for (const dir of ['./allocation-routed', 'models/allocation-routed', '/abs/kpi-ple', 'my-model', '../kpi-ple']) expect(resolveModelDir(dir)).toBe(dir);
  });
});
