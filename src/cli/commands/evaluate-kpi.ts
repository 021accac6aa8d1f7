/**
 * `radio-mtl evaluate kpi --model DIR --data DIR [--json]`: test-split metrics of a
 * saved KPI model, using the model's own scalers and window: accuracy, balanced
 * accuracy, F1, ROC-AUC, majority-class accuracy, per-KPI MSE (scaled) and RMSE
 * (dBm/dB) next to the persistence forecast, params, MACs, timings.
 */
import type { Command } from 'commander';
import { loadKpiModel, type KpiEvaluation } from '../../dnn/kpi/model.js';
import { evaluateKpi } from '../../dnn/kpi/pipeline.js';
import { predictKpi } from '../../dnn/kpi/predict.js';
import { eventsLine, testSplitEvents } from '../../detection/window-events.js';
import { KPI_KEYS, KPI_UNITS, loadKpiDataset, type FileSummary } from '../../datasets/kpi/fcciq.js';
import { InputError } from '../../input-error.js';
import { underOption } from '../errors.js';
import { initEngineFromOption } from '../engine-option.js';

const pct = (x: number) => `${(100 * x).toFixed(2)}%`;

/** Human-readable block of an evaluation. */
export function formatKpiEvaluation(e: KpiEvaluation): string {
  const m = e.metrics;
  const lines = [
    `test windows ${m.count}: accuracy ${pct(m.accuracy)}  balanced ${pct(m.balancedAccuracy)}  F1 ${m.f1.toFixed(4)}  AUC ${m.auc.toFixed(4)}  majority-class ${pct(m.majorityAccuracy)}`,
    `confusion [[tn fp] [fn tp]] = ${JSON.stringify(m.confusion)}  CE ${m.crossEntropy.toFixed(4)}  total loss ${m.totalLoss.toFixed(4)}`,
    'KPI    MSE (scaled)  persistence   RMSE        persistence',
    ...KPI_KEYS.map((k) => `${k.toUpperCase().padEnd(6)} ${m.mse[k].toExponential(3).padEnd(13)} ${m.persistenceMse[k].toExponential(3).padEnd(13)} ${m.rmsePhysical[k].toFixed(3)} ${KPI_UNITS[k].padEnd(4)}  ${m.persistenceRmsePhysical[k].toFixed(3)} ${KPI_UNITS[k]}`),
    `params ${e.params}  MACs/sample ${e.macs}  test ${e.timings.testSeconds.toFixed(3)} s  latency batch 1 ${e.timings.latencyBatch1Ms.toFixed(2)} ms  batched ${e.timings.latencyBatchedMs.toFixed(4)} ms/sample (batch ${e.timings.batchedSize})`,
  ];
  return lines.join('\n');
}

/** Why a dataset has nothing to evaluate: each file's test part is shorter than one window. */
function noTestWindows(dir: string, window: number, files: FileSummary[]): string {
  const sizes = files.map((f) => `${f.name} has ${f.rows.test} of ${f.rows.train + f.rows.val + f.rows.test}`).join(', ');
  return `'${dir}' has no test window: the test part of a CSV (its last 10% of rows) must be longer than the model's window of ${window} rows; ${sizes}`;
}

interface EvaluateKpiOptions {
  model: string;
  data: string;
  json?: boolean;
  backend?: string;
}

export function registerEvaluateKpi(evaluate: Command): void {
  evaluate
    .command('kpi')
    .description('Evaluate a saved KPI model on the test split of the FccIQ CSVs')
    .requiredOption('--model <dir>', 'model directory (from `train kpi`)')
    .requiredOption('--data <dir>', 'directory of FccIQ CSV files')
    .option('--backend <name>', 'tensorflow | wasm | cpu (default: best available)')
    .option('--json', 'print one JSON object')
    .action(async (opts: EvaluateKpiOptions) => {
      const backend = await initEngineFromOption(opts.backend);
      const { model, manifest } = underOption('--model', () => loadKpiModel(opts.model));
      // The dataset's errors name the option or the CSV file themselves.
      const data = loadKpiDataset(opts.data, manifest.window, manifest.scalers);
      if (data.test.count === 0) throw new InputError('--data', noTestWindows(opts.data, manifest.window, data.files));
      const unknown = data.files.filter((f) => !manifest.scalers[f.name]).map((f) => f.name);
      const e = evaluateKpi(model, data.test);
      const events = testSplitEvents(opts.data, data.test, predictKpi(model, data.test).prob);
      if (opts.json) {
        const m = e.metrics;
        const doc = {
          arch: manifest.arch, hidden: manifest.config.hidden, window: manifest.window, context: manifest.config.context ?? manifest.window, seed: manifest.config.seed, backend,
          accuracy: m.accuracy, balancedAccuracy: m.balancedAccuracy, f1: m.f1, auc: m.auc, majorityAccuracy: m.majorityAccuracy,
          confusion: m.confusion, crossEntropy: m.crossEntropy, totalLoss: m.totalLoss, regLoss: m.regLoss,
          mse: m.mse, persistenceMse: m.persistenceMse, rmsePhysical: m.rmsePhysical, persistenceRmsePhysical: m.persistenceRmsePhysical,
          count: m.count, params: e.params, macs: e.macs, timings: e.timings, filesWithoutSavedScaler: unknown, events,
        };
        process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
        return;
      }
      process.stdout.write(`${manifest.arch} (H=${manifest.config.hidden}, window ${manifest.window}, context ${manifest.config.context ?? manifest.window}, seed ${manifest.config.seed}, backend ${backend})\n${formatKpiEvaluation(e)}\n`);
      if (events) process.stdout.write(`${eventsLine(events)}\n`);
      if (unknown.length > 0) process.stdout.write(`note: no saved scaler for ${unknown.join(', ')}; fitted on its train part\n`);
    });
}
