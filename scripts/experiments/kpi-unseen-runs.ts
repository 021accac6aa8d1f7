/** What `kpi:unseen` (scripts/experiments/kpi-unseen.ts) records per training: its job and its scores. */
import type { Candidate } from './kpi-candidates.js';
import type { Score } from './kpi-unseen-scores.js';

/** A file's short name (Lvl_4, ...). */
export const short = (file: string): string => file.replace(/_AllRRUOn.*|_1RRUOn.*|\.csv$/g, '');

export interface Run {
  name: string;
  /**
   * 'outer': scored on the left-out file; 'inner': cross-validation inside the outer fold's training files;
   * 'bound': like 'outer', but also trained on the left-out file's labelled first half (an upper bound);
   * 'adapt': the outer run's model fine-tuned on that labelled first half.
   */
  kind: 'outer' | 'inner' | 'bound' | 'adapt';
  leftOut: string;
  /** For inner runs: the training file held out inside the outer fold. */
  innerLeftOut: string | null;
  arch: string;
  /** The candidate as named on the command line (inputs, and `+lsN` for a level shift of N dB). */
  inputs: string;
  seed: number;
  hidden: number;
  context: number;
  epochs: number;
  bestEpoch: number;
  trainSeconds: number;
  /** CPU seconds of this process while training (less sensitive than wall time to other jobs). */
  trainCpuSeconds?: number;
  trainWindows: number;
  /**
   * Set on an inner run whose training is another inner run's (name): the two files left out of
   * one training pair, each scored as the other's inner fold. Its time is counted once, there.
   */
  trainedBy?: string;
  withoutProfile: Score;
  /** Scored with the profile's scaling and its forecast gain. */
  withProfile: Score;
  /** Per-KPI forecast gain fitted on the calibration half ([RSRP, RSRQ, SINR]). */
  forecastGain: number[];
  /** Per scored window (no profile): the interference probability and the next step [RSRP, RSRQ, SINR], scaled; ensembles are scored from these. */
  outputs?: { prob: number[]; reg: number[] };
}

export interface Job {
  kind: Run['kind'];
  leftOut: number;
  inner: number | null;
  arch: string;
  candidate: Candidate;
  seed: number;
}

/** What `kpi:unseen` was asked to do (its command-line options). */
export interface UnseenSettings {
  /** The first is the recipe's architecture. */
  archs: string[];
  /** The input candidates; the first is the recipe's. */
  candidates: Candidate[];
  seeds: number;
  hidden: number;
  context: number;
  epochs: number;
  patience: number;
  innerCv: boolean;
  nestedRecipe: boolean;
  upperBound: boolean;
  boundSeeds: number;
  adapt: boolean;
  adaptSeeds: number;
  ensemble: number;
  runs: string;
  out: string;
}
