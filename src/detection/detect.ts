/**
 * A cell's series to interference episodes: every window through the KPI service
 * (dnn/kpi/series.ts), then the alerting rule (alerting.ts) over the probabilities, then each
 * episode described. The one implementation behind POST /v1/kpi/detect, /v2 with
 * `detect: true`, `radio-mtl kpi detect` and the page at /ui.
 */
import { parseProfile, profileIdentity } from '../measurements/inputs.js';
import type { KpiServable } from '../dnn/kpi/servable.js';
import { predictSeries, type KpiSeries } from '../dnn/kpi/series.js';
import { KpiInputError, type KpiForward } from '../dnn/kpi/service.js';
import { InputError } from '../input-error.js';
import { alertEpisodes, alertingProblem, DEFAULT_ALERTING, type AlertingRule } from './alerting.js';
import type { Episode } from './episodes.js';

/** Windows per forward pass: the /v1/kpi/predict limit. */
const SERIES_BATCH_WINDOWS = 1024;

export interface DetectedEpisode extends Episode {
  /** ISO-8601 times of the first and last row, when the series has times. */
  startTime?: string;
  endTime?: string;
  durationS?: number;
  peakProbability: number;
  meanProbability: number;
}

export interface Detection {
  model: string;
  windowLength: number;
  alerting: AlertingRule;
  /** Per row, the probability of the window ending there; null for the first window - 1 rows and refused windows. */
  probability: KpiSeries['probability'];
  /** Per row, the forecast of the next row made at this row (null where probability is). */
  forecast: KpiSeries['forecast'];
  /** Windows refused for too many missing values. */
  refused: number;
  episodes: DetectedEpisode[];
}

export interface DetectOptions {
  /** Alerting rule fields to change from DEFAULT_ALERTING. */
  alerting?: Partial<AlertingRule>;
  /** Epoch ms per row (oldest first): adds times to episodes and the gap limit. */
  timesMs?: ArrayLike<number>;
  /** The cell's calibration profile (from calibrate). */
  profile?: unknown;
  /** How forward passes run (default the model's own; the server batches them). */
  forward?: KpiForward;
}

/** `episode` with its times and the peak and mean probability of its rows. */
function describeEpisode(episode: Episode, probability: ReadonlyArray<number | null>, timesMs?: ArrayLike<number>): DetectedEpisode {
  let peak = 0;
  let sum = 0;
  let count = 0;
  for (let i = episode.start; i <= episode.end; i++) {
    const p = probability[i];
    if (p === null) continue;
    peak = Math.max(peak, p);
    sum += p;
    count++;
  }
  const out: DetectedEpisode = { start: episode.start, end: episode.end, peakProbability: peak, meanProbability: count ? sum / count : 0 };
  if (timesMs) {
    out.startTime = new Date(timesMs[episode.start]).toISOString();
    out.endTime = new Date(timesMs[episode.end]).toISOString();
    out.durationS = (timesMs[episode.end] - timesMs[episode.start]) / 1000;
  }
  return out;
}

/** The rule with `alerting`'s fields, checked (InputError naming `alerting/<field>`). */
function alertingRule(alerting: Partial<AlertingRule> | undefined): AlertingRule {
  const rule = { ...DEFAULT_ALERTING, ...alerting };
  const problem = alertingProblem(rule);
  if (problem) throw new InputError(`alerting/${problem.field}`, problem.rule);
  return rule;
}

/** Checks what needs no forward pass, also for a series shorter than one window. */
function checkOptions(model: KpiServable, rowCount: number, opts: DetectOptions): void {
  if (opts.timesMs !== undefined && opts.timesMs.length !== rowCount) {
    throw new InputError('timestamps', `must have as many items as rows (${rowCount}), has ${opts.timesMs.length}`);
  }
  if (opts.profile === undefined) return;
  try {
    parseProfile(opts.profile, profileIdentity(model));
  } catch (err) {
    throw err instanceof InputError ? new KpiInputError('profile', err.field, err.rule) : err;
  }
}

/**
 * Interference episodes in `rows` (raw [rsrp, rsrq, sinr], oldest first, null where missing)
 * for `model`. Bad input throws InputError (KpiInputError of kind 'profile' for the profile).
 */
export async function detectInterference(model: KpiServable, rows: unknown, opts: DetectOptions = {}): Promise<Detection> {
  const rule = alertingRule(opts.alerting);
  checkOptions(model, Array.isArray(rows) ? rows.length : 0, opts);
  const series = await predictSeries(model, rows, { profile: opts.profile, forward: opts.forward, batchSize: SERIES_BATCH_WINDOWS });
  const refused = series.probability.filter((p, i) => p === null && i >= model.windowLength - 1).length;
  const episodes = alertEpisodes(series.probability, rule, opts.timesMs).map((e) => describeEpisode(e, series.probability, opts.timesMs));
  return { model: model.name, windowLength: model.windowLength, alerting: rule, probability: series.probability, forecast: series.forecast, refused, episodes };
}
