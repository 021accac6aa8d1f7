/**
 * A cell's series to interference episodes: run every window through the model (series.ts),
 * then the alerting rule (alerting.ts) over the probabilities, then describe each episode.
 * The one implementation behind POST /v1/kpi/detect, `radio-mtl kpi detect` and the page.
 */
import { alertEpisodes, type AlertingRule } from './alerting.js';
import type { Episode } from './episodes.js';
import { runSeries, type SeriesAnswers } from './series.js';
import type { RawRow, WindowPredictor } from './window-predictor.js';

export interface DetectedEpisode extends Episode {
  /** ISO-8601 times of the first and last row, when the series has times. */
  startTime?: string;
  endTime?: string;
  durationS?: number;
  peakProbability: number;
  meanProbability: number;
}

export interface Detection extends SeriesAnswers {
  model: string;
  windowLength: number;
  episodes: DetectedEpisode[];
}

/** `episode` with its times and the peak and mean probability of its rows. */
export function describeEpisode(episode: Episode, probability: ReadonlyArray<number | null>, timesMs?: ArrayLike<number>): DetectedEpisode {
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

/** Detection over `rows` (oldest first); `timesMs` (epoch ms per row) adds times and the gap limit. */
export async function detectSeries(rows: readonly RawRow[], predictor: WindowPredictor, rule: AlertingRule, timesMs?: ArrayLike<number>): Promise<Detection> {
  const answers = await runSeries(rows, predictor);
  const episodes = alertEpisodes(answers.probability, rule, timesMs).map((e) => describeEpisode(e, answers.probability, timesMs));
  return { ...answers, model: predictor.model, windowLength: predictor.windowLength, episodes };
}
