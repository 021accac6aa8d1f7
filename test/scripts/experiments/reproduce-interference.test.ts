import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir } from '../../helpers/tmp.js';
import { runScript } from '../sweep.js';

describe('reproduce:interference', () => {
  it('--help prints the usage and does nothing else; a bad option is one line and exit 2', () => {
    const help = runScript('experiments/reproduce-interference.ts', ['--help']);
    expect(help.status).toBe(0);
    expect(help.stderr).toBe('');
    for (const [args, message] of [
      [['--t1', 'x'], "reproduce:interference: --t1 must be an integer >= 1, got 'x'\n"],
      [['--schemes', 'naive'], "reproduce:interference: --schemes: 'naive' is not one of routed, zero-padding, single-task\n"],
      [['--runs'], 'reproduce:interference: --runs needs a value\n'],
    ] as const) {
      const r = runScript('experiments/reproduce-interference.ts', [...args]);
      expect(r.status).toBe(2);
      expect(r.stderr).toBe(message);
    }
  });

  it('trains, evaluates against the baselines and writes the report, results and charts (tiny budget)', () => {
    const tmp = makeTempDir();
    try {
      const args = ['--channels', 'gaussian', '--schemes', 'routed,zero-padding', '--t1', '3', '--t2', '3', '--batch', '4', '--hidden', '8,8', '--eval-count', '20', '--runs', tmp.dir, '--out', join(tmp.dir, 'report')];
      const r = runScript('experiments/reproduce-interference.ts', args);
      expect(r.status).toBe(0);
      const out = join(tmp.dir, 'report');
      const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
      const rows = results.results.gaussian as Array<{ k: number; baselines: { wmmse: number; bestOf10: number }; models: Record<string, { rate?: number; maxPower?: number; error?: string }> }>;
      expect(rows.map((row) => row.k)).toEqual([5, 8, 10, 12, 15, 18, 20, 7, 25]);
      for (const row of rows.slice(0, 8)) {
        expect(row.baselines.bestOf10).toBeGreaterThan(0.9 * row.baselines.wmmse);
        expect(row.models.routed.maxPower).toBeLessThanOrEqual(1);
      }
      expect(rows[8].models.routed.error).toMatch(/serves K <= 20/);
      expect(readFileSync(join(out, 'README.md'), 'utf8')).toMatch(/## gaussian channel/);
      expect(existsSync(join(tmp.dir, 'gaussian', 'routed', 'checkpoint'))).toBe(false);
      expect(existsSync(join(out, 'percent-of-wmmse-gaussian.svg')) && existsSync(join(out, 'percent-of-wmmse-gaussian.vl.json'))).toBe(true);
      // A second run keeps the trained models (same options) and only re-evaluates.
      const again = runScript('experiments/reproduce-interference.ts', args);
      expect(again.stderr).toMatch(/gaussian\/routed: trained already/);
    } finally {
      tmp.cleanup();
    }
  });
});
