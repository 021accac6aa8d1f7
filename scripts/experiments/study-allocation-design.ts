/**
 * The design of `npm run study:allocation`: the routed-MTL paper's open questions as points
 * (one training configuration each, 3 seeds), and the channel-knowledge conditions each
 * trained model is evaluated under. Every point differs from the baseline (the shipped
 * defaults: equal weighting, gamma 5, t1 = t2, exact gains) in one thing only.
 */
import { PERFECT_KNOWLEDGE, type ChannelKnowledge } from '../../src/channels/channel-knowledge.js';
import type { Weighting } from '../../src/dnn/training/weighting.js';

export type Question = 'baseline' | 'weighting' | 'gamma' | 'split' | 'channel';

export interface StudyPoint {
  id: string;
  question: Question;
  /** The row label in the report. */
  label: string;
  weighting: Weighting;
  gamma: number;
  /** Phase 1's share of the steps (t1 = fraction x steps). */
  t1Fraction: number;
  /** What the network is trained on (the test curve uses the same). */
  knowledge: ChannelKnowledge;
}

const BASE = { weighting: 'equal' as Weighting, gamma: 5, t1Fraction: 0.5, knowledge: PERFECT_KNOWLEDGE };

/** In the order they are trained: the baseline first, then the channel question (the goal), then the rest. */
export const POINTS: readonly StudyPoint[] = [
  { ...BASE, id: 'baseline', question: 'baseline', label: 'equal, gamma 5, t1 = t2, exact gains (defaults)' },
  { ...BASE, id: 'trained-noise-0.1', question: 'channel', label: 'trained on noisy gains (sigma_e^2 = 0.1)', knowledge: { errorVariance: 0.1, missingFraction: 0 } },
  { ...BASE, id: 'trained-missing-0.1', question: 'channel', label: 'trained with 10% of gains missing', knowledge: { errorVariance: 0, missingFraction: 0.1 } },
  { ...BASE, id: 'uncertainty', question: 'weighting', label: 'uncertainty', weighting: 'uncertainty' },
  { ...BASE, id: 'gradnorm', question: 'weighting', label: 'gradnorm', weighting: 'gradnorm' },
  { ...BASE, id: 'gamma-2', question: 'gamma', label: 'gamma 2', gamma: 2 },
  { ...BASE, id: 'gamma-20', question: 'gamma', label: 'gamma 20', gamma: 20 },
  { ...BASE, id: 'split-0.2', question: 'split', label: 't1 = 0.2 of the steps', t1Fraction: 0.2 },
  { ...BASE, id: 'split-0.8', question: 'split', label: 't1 = 0.8 of the steps', t1Fraction: 0.8 },
];

export const SEEDS = [1, 2, 3] as const;

/** Channel-knowledge conditions of the evaluation (the test gains observed with seed GAIN_SEED). */
export const CONDITIONS: Readonly<Record<string, ChannelKnowledge>> = {
  exact: PERFECT_KNOWLEDGE,
  'noise-0.1': { errorVariance: 0.1, missingFraction: 0 },
  'missing-0.1': { errorVariance: 0, missingFraction: 0.1 },
  'noise-0.3': { errorVariance: 0.3, missingFraction: 0 },
  'missing-0.3': { errorVariance: 0, missingFraction: 0.3 },
};

/** The seed of every observation (training and test): same seed, same data for every model and the plug-in solver. */
export const GAIN_SEED = 1;

/** The conditions a point's models are evaluated under: every one for the channel question and the baseline, else exact gains only. */
export function conditionsOf(point: StudyPoint): string[] {
  return point.question === 'channel' || point.question === 'baseline' ? Object.keys(CONDITIONS) : ['exact'];
}

export interface StudyRun {
  point: StudyPoint;
  seed: number;
}

/**
 * Every training of the study: the baseline and the channel question point by point (their
 * seeds finish together), then the sweeps seed by seed, so that a study stopped early has
 * every sweep point with as many seeds as time allowed rather than some points with none.
 */
export const RUNS: readonly StudyRun[] = [
  ...POINTS.filter((p) => p.question === 'baseline' || p.question === 'channel').flatMap((point) => SEEDS.map((seed) => ({ point, seed }))),
  ...SEEDS.flatMap((seed) => POINTS.filter((p) => p.question !== 'baseline' && p.question !== 'channel').map((point) => ({ point, seed }))),
];

export const runId = (r: StudyRun): string => `${r.point.id}/seed${r.seed}`;
