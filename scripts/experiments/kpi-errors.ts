/**
 * `npm run kpi:errors -- MODEL_DIR [MODEL_DIR ...] [--data DIR]`: test-split errors
 * of saved KPI models per CSV file, as false alarms (interference predicted, none
 * labelled) and misses. Shows where the classification errors are.
 */
import { basename } from 'node:path';
import { initEngine } from '../../src/dnn/engine.js';
import { loadKpiModel } from '../../src/dnn/kpi/model.js';
import { predictKpi } from '../../src/dnn/kpi/predict.js';
import { errorsByFile } from '../../src/dnn/kpi/metrics.js';
import { loadKpiDataset } from '../../src/datasets/kpi/fcciq.js';
import { existingDir, positionals, readScriptOptions, usageFail, DEFAULT_FCCIQ_DIR } from '../shared/lib.js';

readScriptOptions({
  name: 'kpi:errors',
  summary: 'Test-split errors of saved KPI models per CSV file, as false alarms and misses.',
  options: { data: { value: 'DIR', help: 'FccIQ CSV folder (default data/fcciq)' } },
  positionals: 'MODEL_DIR...',
});
const DATA = existingDir('data', DEFAULT_FCCIQ_DIR);
const dirs = positionals();
if (dirs.length === 0) usageFail('give at least one model directory MODEL_DIR (see --help)');
await initEngine();
for (const dir of dirs) {
  const { model, manifest } = loadKpiModel(dir);
  const data = loadKpiDataset(DATA, manifest.window, manifest.scalers);
  const perFile = errorsByFile(predictKpi(model, data.test).prob, data.test, data.files.map((f) => basename(f.name)));
  process.stdout.write(`${dir} (${manifest.arch}, context ${manifest.config.context ?? manifest.window}, seed ${manifest.config.seed})\n`);
  for (const r of perFile) process.stdout.write(`  ${r.file}: ${r.windows} windows, ${r.falseAlarms} false alarms, ${r.misses} misses\n`);
}
