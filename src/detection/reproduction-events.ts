/**
 * The reproduce:kpi report's event metrics: each run's saved test-split probabilities, and the
 * mean probability of each architecture's seeds, through an alerting rule and scored against the
 * labelled episodes of each file's test part (src/detection/window-events.ts), beside the
 * per-window numbers. What an operator would see of each architecture on the paper's split.
 */
import { ARCH_LABELS, KPI_ARCHS, type KpiArch } from '../dnn/kpi/registry.js';
import type { TestPredictions } from '../dnn/kpi/report.js';
import { seedMeans } from '../dnn/kpi/seed-ensembles.js';
import type { AlertingRule } from './alerting.js';
import { poolEventMetrics, type EventMetrics } from './event-metrics.js';
import { eventTableHeader, eventTableRow } from './event-table.js';
import type { WindowEvents } from './window-events.js';

/**
 * Event metrics of probabilities for every test window (in the test WindowSet's order) with
 * those windows' labels; null when the data cannot be scored by time (no Time or lab_inf column).
 */
export type TestSplitScorer = (probability: number[], label: number[]) => WindowEvents | null;

export interface ArchEvents {
  arch: KpiArch;
  /** Each seed's events, pooled over the files (per file in `files`). */
  seeds: Array<{ seed: number } & WindowEvents>;
  /** The seeds' counts, delays and clean time added up: N seeds see N times the episodes. */
  seedsPooled: EventMetrics;
  /** The seeds' mean probability (the seed ensemble of the report), scored the same way; absent below two seeds. */
  ensemble?: WindowEvents;
}

export interface ReportEvents {
  rule: AlertingRule;
  archs: ArchEvents[];
}

type Run = { arch: KpiArch; seed: number; dir: string };

/** Event metrics of every run with saved whole-test-split predictions; null when there is none or the data has no times. */
export function reportEvents(runs: Run[], preds: Map<string, TestPredictions>, score: TestSplitScorer): ReportEvents | null {
  const means = seedMeans(runs, preds);
  const archs: ArchEvents[] = [];
  for (const arch of KPI_ARCHS) {
    const seeds: ArchEvents['seeds'] = [];
    for (const r of runs.filter((x) => x.arch === arch).sort((a, b) => a.seed - b.seed)) {
      const p = preds.get(r.dir);
      if (!p?.testProb || !p.testLabel) continue;
      const events = score(p.testProb, p.testLabel);
      if (events === null) return null;
      seeds.push({ seed: r.seed, ...events });
    }
    if (seeds.length === 0) continue;
    const mean = means.find((m) => m.arch === arch);
    const ensemble = mean ? (score(mean.probability, mean.label) ?? undefined) : undefined;
    archs.push({ arch, seeds, seedsPooled: poolEventMetrics(seeds.map((s) => s.pooled)), ...(ensemble && { ensemble }) });
  }
  return archs.length > 0 ? { rule: archs[0].seeds[0].rule, archs } : null;
}

/** The report's section: one row per seed, the seeds pooled and their ensemble, per architecture. */
export function eventsSection(e: ReportEvents): string[] {
  const r = e.rule;
  const rows = e.archs.flatMap((a) => {
    const label = ARCH_LABELS[a.arch];
    return [
      ...a.seeds.map((s) => eventTableRow(`${label} seed ${s.seed}`, s.pooled)),
      ...(a.seeds.length > 1 ? [eventTableRow(`${label}, seeds pooled`, a.seedsPooled)] : []),
      ...(a.ensemble ? [eventTableRow(`${label} ensemble (mean P of the seeds)`, a.ensemble.pooled)] : []),
    ];
  });
  return [
    '## Episodes on the test split (event metrics)',
    '',
    `Each run's test-split probabilities through the alerting rule (raise at ${r.k} window(s) >= ${r.pOn}, clear after ${r.m} windows < ${r.pOff}, gap limit ${r.maxGapS} s: the default of POST /v1/kpi/detect), ` +
      'scored against the labelled episodes of each file\'s test part (runs of lab_inf = 1 merged when less than 2 s apart, among the rows with a window) and pooled over the files. ' +
      'A labelled episode is caught when an alert overlaps it; a false alert overlaps none; delay = first alert row inside the episode minus its first row; range precision/recall: Tatbul et al. (NeurIPS 2018), alpha 0, flat bias. ' +
      '"Seeds pooled" adds the seeds\' counts up (each seed sees every episode); the ensemble is the mean probability of the seeds. Per file: `events` in results.json.',
    '',
    ...eventTableHeader('Model'),
    ...rows,
    '',
  ];
}
