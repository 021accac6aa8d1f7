/**
 * `npm run kpi:errors -- MODEL_DIR [MODEL_DIR ...] [--data DIR]`: test-split errors
 * of saved KPI models per CSV file, as false alarms (interference predicted, none
 * labelled) and misses. Shows where the classification errors are.
 */
import { basename, resolve } from 'node:path';
import { initEngine } from '../src/dnn/engine.js';
import { loadKpiModel } from '../src/dnn/kpi/model.js';
import { predictKpi } from '../src/dnn/kpi/predict.js';
import { errorsByFile } from '../src/dnn/kpi/metrics.js';
import { loadKpiDataset } from '../src/datasets/fcciq.js';
import { argv, opt, DEFAULT_FCCIQ_DIR } from './lib.js';

const DATA = resolve(opt('data', DEFAULT_FCCIQ_DIR));
const dirs = argv.filter((a, i) => !a.startsWith('--') && argv[i - 1] !== '--data');
if (dirs.length === 0) throw new Error('usage: npm run kpi:errors -- MODEL_DIR [MODEL_DIR ...] [--data DIR]');
await initEngine();
for (const dir of dirs) {
  const { model, manifest } = loadKpiModel(dir);
  const data = loadKpiDataset(DATA, manifest.window, manifest.scalers);
  const perFile = errorsByFile(predictKpi(model, data.test).prob, data.test, data.files.map((f) => basename(f.name)));
  process.stdout.write(`${dir} (${manifest.arch}, context ${manifest.config.context ?? manifest.window}, seed ${manifest.config.seed})\n`);
  for (const r of perFile) process.stdout.write(`  ${r.file}: ${r.windows} windows, ${r.falseAlarms} false alarms, ${r.misses} misses\n`);
}
