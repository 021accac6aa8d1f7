/**
 * radio-mtl as a library: `import { ... } from 'radio-mtl'`.
 *
 * - solvers: the exact KKT solvers, the interior-point baseline, objectives, the problem
 *   constants and the valid gain domain; for the K-user interference channel, WMMSE, the
 *   other baselines, the sum rate, its channels and its input validation;
 * - datasets: labelled power-allocation datasets and FccIQ KPI data;
 * - models: `openModel(dir)` loads, verifies and warms up any saved model (allocation,
 *   interference or KPI; a bare name such as 'allocation-routed' is a model shipped in the package's models/)
 *   and returns the same inference interface the HTTP server uses;
 * - server: `createApp` (express) and `startServer`.
 */
import { readModelJson } from './dnn/model-io.js';
import { defaultLoaders } from './server/loaders.js';
import { warmUp } from './server/registry.js';
import { serviceOf, type ModelService } from './dnn/services.js';
import { basename } from 'node:path';
import { resolveModelDir } from './shipped-models.js';

export * from './solvers/params.js';
export * from './solvers/gain-domain.js';
export { solveFdmaDelayExact } from './solvers/fdma-delay-exact.js';
export { solveFdmaDelayIpm } from './solvers/ipm.js';
export { solveSumCapacitySample } from './solvers/sum-capacity-exact.js';
export { sumCapacityReference } from './solvers/sum-capacity-reference.js';
export { fdmaMeanDelay, sumCapacityBits } from './solvers/objectives.js';
export { solveBatch, optimalLambda, type BatchSolution, type ClassicalSolver } from './solvers/solve-batch.js';
export { wmmse, wmmseBestOf, fullPower, randomPower, WMMSE_DEFAULTS, type WmmseOptions, type InterferenceSolution } from './solvers/wmmse.js';
export { exhaustiveOnOff } from './solvers/interference-on-off.js';
export { sumRateOf, sumRates } from './solvers/interference-objective.js';
export { parseInterferenceGains } from './solvers/interference-input.js';
export { interferenceGains } from './channels/interference.js';
export { generateDataset } from './datasets/allocation/generate.js';
export { readDataset, type LoadedDataset } from './datasets/allocation/dataset-files.js';
export { loadKpiDataset } from './datasets/kpi/fcciq.js';
export { ModelFileError } from './dnn/model-io.js';
export type { AllocationService, InterferenceService, KpiService, ModelService } from './dnn/services.js';
export type { InterferenceAnswer } from './dnn/interference/service.js';
export type { AllocationAnswer } from './dnn/allocation/service.js';
export type { KpiAnswer, KpiWindowPrediction } from './dnn/kpi/service.js';
export type { KpiSeries } from './dnn/kpi/series.js';
export { createApp, createContext, loadModels } from './server/app.js';
export { startServer, type ServeOptions, type RunningServer } from './server/server.js';
export { SHIPPED_MODELS_DIR } from './shipped-models.js';

/**
 * Loads the model saved in `dir` (allocation, interference or KPI; a bare name of a shipped
 * model, such as 'allocation-routed', 'interference-routed' or 'kpi-ple', opens the one in the package's models/), verifies every
 * file's checksum and warms it up; answers come from the family's service, as from the CLI and
 * the server. Allocation: `allocate(problem, gains[][])` gives powers (W), objective and who
 * solved each instance; interference: `allocate(gains)` gives powers and sum rates for K x K
 * matrices; KPI: `predict(windows)` gives next-step RSRP/RSRQ/SINR and the
 * interference probability, `calibrate(rows)` a cell's profile, `predictSeries(rows)` every
 * window of a series. Throws ModelFileError for a missing, corrupted or edited model.
 */
export async function openModel(nameOrDir: string): Promise<ModelService> {
  const dir = resolveModelDir(nameOrDir);
  const manifest = (readModelJson<Record<string, unknown>>(dir).json.manifest ?? {}) as Record<string, unknown>;
  const loader = (await defaultLoaders()).find((l) => l.accepts(manifest));
  if (!loader) throw new Error(`${dir}: the manifest matches no model family (allocation, interference, kpi)`);
  const model = await loader.load(dir, basename(dir));
  await warmUp(model);
  return serviceOf(model);
}
