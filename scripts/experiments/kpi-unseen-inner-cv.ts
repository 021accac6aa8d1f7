/**
 * `kpi:unseen --inner-cv`: the input normalisation chosen per left-out file without its labels, by
 * leave-one-file-out cross-validation inside that fold's training files (criterion fixed in
 * advance: kpi-unseen-table.ts's `criterion`); the chosen candidate's outer result beside it.
 */
import type { Run } from './kpi-unseen-runs.js';
import { criterion, mean, MIN_POSITIVES, pct } from './kpi-unseen-table.js';

/** Markdown lines and JSON of the normalisation chosen per left-out file (`inputs`: the candidates' names; `arch`: the recipe's). */
export function innerCvSection(files: string[], runs: Run[], inputs: string[], arch: string, short: (f: string) => string): { lines: string[]; json: unknown } {
  const inner = runs.filter((r) => r.kind === 'inner' && r.arch === arch && r.seed === 1); // the seed its jobs train
  const outer = runs.filter((r) => r.kind === 'outer' && r.arch === arch);
  const lines = ['## Choosing the normalisation without the left-out file\'s labels (nested cross-validation)', '',
    `Per left-out file: leave-one-file-out inside its three training files. Criterion fixed in advance: mean over the inner folds of (score without profile + with profile) / 2, the score being the balanced accuracy, or 1 − FPR where the held-out part has fewer than ${MIN_POSITIVES} interference windows. The chosen candidate's outer result (mean over the seeds it was trained with) is what the recipe would score.`, '',
    `| Left out | ${inputs.join(' | ')} | Chosen | Outer: balanced no profile / profile | Outer FPR no profile / profile |`, `|---|${inputs.map(() => '---|').join('')}---|---|---|`];
  const json: unknown[] = [];
  const range = (xs: number[]) => `${pct(mean(xs))}${xs.length > 1 ? ` (${pct(Math.min(...xs))}-${pct(Math.max(...xs))})` : ''}`;
  for (const f of files) {
    const cells = inputs.map((inp) => {
      const rs = inner.filter((r) => r.leftOut === f && r.inputs === inp);
      return { inputs: inp, folds: rs.length, value: rs.length ? mean(rs.map(criterion)) : NaN };
    });
    const complete = cells.every((c) => c.folds === files.length - 1);
    const chosen = complete ? cells.reduce((a, b) => (b.value > a.value ? b : a)).inputs : null;
    const o = chosen ? outer.filter((r) => r.leftOut === f && r.inputs === chosen) : [];
    const outerCell = o.length ? `${range(o.map((r) => r.withoutProfile.balancedAccuracy))} / ${range(o.map((r) => r.withProfile.balancedAccuracy))}` : '-';
    const fprCell = o.length ? `${range(o.map((r) => r.withoutProfile.fpr ?? 0))} / ${range(o.map((r) => r.withProfile.fpr ?? 0))}` : '-';
    lines.push(`| ${short(f)} | ${cells.map((c) => (c.folds ? `${pct(c.value)} (${c.folds} folds)` : '-')).join(' | ')} | ${chosen ?? 'incomplete'} | ${outerCell} | ${fprCell} |`);
    json.push({ file: f, inner: cells, chosen, outer: o.map((r) => r.name) });
  }
  lines.push('');
  return { lines, json };
}
