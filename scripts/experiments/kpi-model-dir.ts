/** The first KPI model under a models directory (in name order, as `radio-mtl serve` loads them), loaded for the KPI service. */
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { modelFamily } from '../../src/dnn/manifest.js';
import { modelExists, readModelJson } from '../../src/dnn/model-io.js';
import { loadKpiServable, type KpiServable } from '../../src/dnn/kpi/servable.js';

export async function openFirstKpiModel(modelsDir: string): Promise<KpiServable> {
  const dirs = modelExists(modelsDir) ? [modelsDir] : readdirSync(modelsDir).sort().map((d) => join(modelsDir, d));
  const dir = dirs.find((d) => modelExists(d) && modelFamily(readModelJson(d).json.manifest) === 'kpi');
  if (!dir) throw new Error(`no KPI model under ${modelsDir}`);
  return loadKpiServable(dir, basename(dir));
}
