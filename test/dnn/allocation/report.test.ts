import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { allocationReportMarkdown, type SchemeMetrics } from '../../../src/dnn/allocation/report.js';
import type { AllocationManifest } from '../../../src/dnn/allocation/model.js';
import { SCHEMES } from '../../../src/dnn/allocation/tasks.js';
import { readModelJson } from '../../../src/dnn/model-io.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const RESULTS = join(ROOT, 'results', 'allocation');

/**
 * The committed report is rebuilt from what is committed beside it: tables.json (every
 * scheme's metrics, the mask overlap) and the routed model's manifest (training options,
 * data checksums, task order). Only the routed model is committed, so the other schemes'
 * parameter counts (in the training-cost table) are not compared.
 */
describe('results/allocation/README.md', () => {
  const tables = JSON.parse(readFileSync(join(RESULTS, 'tables.json'), 'utf8'));
  const committed = readFileSync(join(RESULTS, 'README.md'), 'utf8');
  const manifest = readModelJson<AllocationManifest>(join(ROOT, 'models', 'allocation-routed')).json.manifest;
  const runs = SCHEMES.filter((s) => tables.schemes[s]).map((scheme) => ({ scheme, metrics: tables.schemes[scheme] as SchemeMetrics, manifest }));
  const rebuilt = allocationReportMarkdown({
    command: 'npm run reproduce:allocation',
    date: '2026-01-01',
    t1: tables.t1,
    t2: tables.t2,
    seed: tables.seed,
    refSamples: tables.references[0].samples,
    runs,
    masks: { tasks: manifest.tasks, ...tables.maskJaccard },
    modelDir: 'models/allocation-routed',
  });
  const between = (text: string, from: string, to: string) => text.slice(text.indexOf(from), text.indexOf(to));

  it('has the tables, goals and mask overlap the report module makes of tables.json', () => {
    expect(rebuilt).toContain('## Routing masks');
    expect(between(rebuilt, '## Table II', 'The routed model is committed')).toBe(between(committed, '## Table II', 'The routed model is committed'));
  });

  it('has the budget, training options, data checksums and the routed training cost of the routed model', () => {
    expect(between(rebuilt, 'Budget:', '## Training cost')).toBe(between(committed, 'Budget:', '## Training cost'));
    const routedRow = (text: string) => text.split('\n').find((line) => line.startsWith('| routed multi-task DNN | '));
    expect(routedRow(rebuilt)).toBe(routedRow(committed));
  });
});
