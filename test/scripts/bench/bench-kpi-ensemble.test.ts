/** @jest-environment ./test/onnx/ort-environment.js */
/** bench:kpi --ensemble DIR reports a saved ensemble's serving speed beside each member's, from one interleaved run. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchEnsemble } from '../../../scripts/bench/bench-kpi-ensemble.js';
import { loadKpiDataset } from '../../../src/datasets/kpi/fcciq.js';
import { initEngine } from '../../../src/dnn/engine.js';
import { ensembleMembers, runKpiEnsembleTraining } from '../../../src/dnn/kpi/ensemble-pipeline.js';
import { runKpiTraining } from '../../../src/dnn/kpi/pipeline.js';
import { writeFixture } from '../../dnn/kpi/fixture.js';
import { makeTempDir } from '../../helpers/tmp.js';

let tmp: ReturnType<typeof makeTempDir>;
beforeAll(async () => {
  await initEngine();
  tmp = makeTempDir();
  writeFixture(join(tmp.dir, 'csv'), { files: 2, rows: 200 });
});
afterAll(() => tmp.cleanup());

test('one row for the ensemble and one per member, with the members-in-sequence rate beside it', async () => {
  const data = loadKpiDataset(join(tmp.dir, 'csv'), 6, {}, 'pooled');
  const dir = join(tmp.dir, 'ens');
  runKpiEnsembleTraining({ dataDir: '', out: dir, epochs: 1, hidden: 4, window: 6, context: 4, backend: 'wasm', data, members: ensembleMembers(2, ['ple', 'mmoe'], 1) });
  const md = await benchEnsemble(dir, tmp.dir, 1, { batch640: 1, batch1: 2 }, () => undefined);
  const doc = JSON.parse(readFileSync(join(tmp.dir, 'speed-ensemble.json'), 'utf8'));
  expect(doc.rows.map((r: { model: string }) => r.model)).toEqual(['ensemble', 'member 1 (ple, seed 1)', 'member 2 (mmoe, seed 1)']);
  for (const r of doc.rows) expect(r.batch640.cpuMs).toBeGreaterThan(0);
  expect(doc.sequentialMembersWindowsPerSecond).toBeGreaterThan(0);
  expect(readFileSync(join(tmp.dir, 'speed-ensemble.md'), 'utf8')).toBe(md);
  // A single model is refused by name.
  const single = join(tmp.dir, 'single');
  runKpiTraining({ arch: 'mmoe', dataDir: '', out: single, epochs: 1, hidden: 4, window: 6, context: 4, seed: 1, backend: 'wasm', data });
  await expect(benchEnsemble(single, tmp.dir, 1, { batch640: 1, batch1: 1 }, () => undefined)).rejects.toThrow(/--ensemble: '.*single' is not an ensemble \(architecture 'mmoe'\)/);
});
