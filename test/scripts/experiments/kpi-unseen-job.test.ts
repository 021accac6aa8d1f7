import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readRuns } from '../../../scripts/experiments/kpi-unseen-job.js';
import type { UnseenSettings } from '../../../scripts/experiments/kpi-unseen-runs.js';

test('readRuns reads the finished runs, not a report written into the same folder (the default --out is the default --runs)', () => {
  const runs = mkdtempSync(join(tmpdir(), 'kpi-unseen-job-'));
  try {
    const run = { name: 'outer-Lvl_4-ple-pooled-h64-c10-e10-s1', kind: 'outer', hidden: 64, context: 10, trainSeconds: 30 };
    writeFileSync(join(runs, `${run.name}.json`), JSON.stringify(run));
    // The report's JSON carries hidden and context too, and the sum of the runs' training seconds.
    writeFileSync(join(runs, 'unseen.json'), JSON.stringify({ hidden: 64, context: 10, trainSeconds: 30, files: [] }));
    const s = { runs, hidden: 64, context: 10 } as UnseenSettings;
    expect(readRuns(s).map((r) => r.name)).toStrictEqual([run.name]);
  } finally {
    rmSync(runs, { recursive: true, force: true });
  }
});
