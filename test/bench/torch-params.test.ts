/**
 * The PyTorch benchmark models must have the tfjs models' shapes: equal trainable
 * parameter counts. Runs only where /usr/bin/python3 imports torch.
 */
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { countParams } from '../../src/dnn/kpi/base.js';
import { createKpiModel, KPI_ARCHS } from '../../src/dnn/kpi/registry.js';
import { pythonParamCounts } from '../../src/bench/torch-params.js';
import { initEngine } from '../../src/dnn/engine.js';

const PY = '/usr/bin/python3';
const hasTorch = (() => {
  try {
    execFileSync(PY, ['-c', 'import torch'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
const script = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'scripts', 'bench', 'bench-kpi-torch.py');

(hasTorch ? describe : describe.skip)('scripts/bench/bench-kpi-torch.py', () => {
  beforeAll(async () => {
    await initEngine('cpu');
  });

  it('has the tfjs parameter count for every architecture (H = 24, context 10)', () => {
    const [hidden, context] = [24, 10];
    const torch = pythonParamCounts(PY, script, ['--hidden', String(hidden), '--context', String(context)]);
    expect(Object.keys(torch)).toEqual([...KPI_ARCHS]);
    for (const arch of KPI_ARCHS) expect([arch, torch[arch]]).toEqual([arch, countParams(createKpiModel(arch, { hidden, context }))]);
  });
});
