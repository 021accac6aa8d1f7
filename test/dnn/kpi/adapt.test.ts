/** Adapting a trained KPI model to a cell from its labelled rows (src/dnn/kpi/adapt.ts). */
import seedrandom from 'seedrandom';
import type { FcciqFile } from '../../../src/datasets/kpi/fcciq.js';
import { windowCount } from '../../../src/datasets/kpi/windows.js';
import { initEngine } from '../../../src/dnn/engine.js';
import { adaptationWindows, adaptKpiModel } from '../../../src/dnn/kpi/adapt.js';
import { disposeKpiModel } from '../../../src/dnn/kpi/base.js';
import { KpiEnsemble } from '../../../src/dnn/kpi/ensemble.js';
import { createKpiModel } from '../../../src/dnn/kpi/registry.js';
import { validationLoss } from '../../../src/dnn/kpi/trainer.js';

beforeAll(async () => {
  await initEngine();
});

/** A cell of `n` rows whose interference (every third block of 10 rows) drops SINR. */
function cell(n: number): FcciqFile {
  const rng = seedrandom('adapt-cell');
  const values = new Float64Array(n * 3);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = Math.floor(i / 10) % 3 === 1 ? 1 : 0;
    values.set([-95 + 3 * rng(), -11 - 3 * labels[i] + rng(), 22 - 14 * labels[i] + 3 * rng()], i * 3);
  }
  return { name: 'cell.csv', rowsRead: n, dropped: 0, values, labels };
}
const SCALER = { columns: ['RSRP', 'RSRQ', 'SINR'], min: [-110, -20, -5], max: [-80, -5, 30] };

test('the rows are cut chronologically: the first 80% train, the last 20% validate, no window across the cut', () => {
  const { train, val } = adaptationWindows([cell(200)], SCALER, 6);
  expect(train.count).toBe(windowCount(160, 6));
  expect(val.count).toBe(windowCount(40, 6));
  // The validation windows are the last rows' windows: the last one's label is the file's last label.
  expect(val.label[val.count - 1]).toBe(cell(200).labels[199]);
  expect(() => adaptationWindows([cell(30)], SCALER, 6)).toThrow(/too few labelled rows to adapt: .*\(cell\.csv has 30\)/);
});

test('an epoch that does not beat the unadapted weights on the validation tail is not kept', () => {
  const { train, val } = adaptationWindows([cell(200)], SCALER, 6);
  const model = createKpiModel('hard-sharing', { hidden: 6, window: 6, context: 4, seed: 1 });
  const start = Object.fromEntries(Object.entries(model.params.vars).map(([k, v]) => [k, v.dataSync().slice()]));
  // A learning rate far too large: every epoch is worse than the start.
  const r = adaptKpiModel(model, train, val, { epochs: 2, patience: 0, lr: 5 });
  expect(r.members[0].bestEpoch).toBe(0);
  expect(r.after.loss).toBe(r.before.loss);
  for (const [k, v] of Object.entries(model.params.vars)) expect(v.dataSync()).toEqual(start[k]);
  disposeKpiModel(model);
});

test('an ensemble is adapted member by member, and the adapted model does better on the validation tail', () => {
  const { train, val } = adaptationWindows([cell(300)], SCALER, 6);
  const members = [createKpiModel('ple', { hidden: 6, window: 6, context: 4, seed: 1 }), createKpiModel('mmoe', { hidden: 6, window: 6, context: 4, seed: 2 })];
  const ensemble = new KpiEnsemble(members);
  const before = validationLoss(ensemble, val).loss;
  const r = adaptKpiModel(ensemble, train, val, { epochs: 3 });
  expect(r.members).toHaveLength(2);
  expect(r.members.every((m) => m.bestEpoch > 0)).toBe(true);
  expect(r.before.loss).toBeCloseTo(before, 10);
  expect(r.after.loss).toBeLessThan(before);
  expect(validationLoss(ensemble, val).loss).toBeCloseTo(r.after.loss, 10);
  disposeKpiModel(ensemble);
});
