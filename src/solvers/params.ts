/**
 * Problem parameters: the ONE place they are defined (paper Table I).
 * Datasets, trainers, evaluation and the server import them from here.
 */
import type { GeometricChannelParams, InterferenceChannelSpec } from '../channels/interference.js';

export { INTERFERENCE_CHANNELS, type GeometricChannelParams, type InterferenceChannel } from '../channels/interference.js';

/** The two power-allocation problems of the routed-MTL paper. */
export type Problem = 'fdma-delay' | 'sum-capacity';
export const PROBLEMS: readonly Problem[] = ['fdma-delay', 'sum-capacity'];

/** Task sizes N of the paper (Section V). */
export const PAPER_SIZES: readonly number[] = [5, 8, 10, 12, 15, 18, 20];

/** Thermal noise spectral density of Table I, dBm/Hz. */
export const NOISE_DBM_PER_HZ = -174;

/** Converts a noise density in dBm/Hz to W/Hz. */
export function dbmPerHzToWattPerHz(dbmPerHz: number): number {
  return 10 ** (dbmPerHz / 10) / 1000;
}

/**
 * Path loss (dB) that makes the received SNR per watt equal to |h|^2, i.e. a path
 * loss equal to the noise power N0*W. With it a_n = |h_n|^2 ~ Exp(1): the
 * "normalised SNR" channel model, the default (see README, "Units").
 */
export function normalisedPathLossDb(bandwidthHz: number, noiseDbmPerHz = NOISE_DBM_PER_HZ): number {
  return -10 * Math.log10(dbmPerHzToWattPerHz(noiseDbmPerHz) * bandwidthHz);
}

/** P3, FDMA delay minimisation. */
export interface FdmaDelayParams {
  /** Total transmit power budget Ptot, W. */
  totalPowerW: number;
  /** Bandwidth per band W, Hz. */
  bandwidthHz: number;
  /** Packet size L_n (same for every user), bits. */
  packetBits: number;
  /**
   * Mean SNR per watt, dB: a_n = 10^(meanGainDb/10) |h_n|^2 (1/W) with |h_n|^2 ~ Exp(1).
   * 0 dB (default) is the normalised-SNR model, i.e. a path loss equal to N0 W
   * (144 dB at -174 dBm/Hz and 1 MHz); see meanGainDbFromPathLoss.
   */
  meanGainDb: number;
}

export const FDMA_DELAY_DEFAULTS: Readonly<FdmaDelayParams> = Object.freeze({
  totalPowerW: 10,
  bandwidthHz: 1e6,
  packetBits: 1e6,
  meanGainDb: 0,
});

/** Mean SNR per watt (dB) for a path loss (dB) over a band of `bandwidthHz` with noise N0. */
export function meanGainDbFromPathLoss(pathLossDb: number, bandwidthHz: number, noiseDbmPerHz = NOISE_DBM_PER_HZ): number {
  return normalisedPathLossDb(bandwidthHz, noiseDbmPerHz) - pathLossDb;
}

/** Linear mean SNR per watt (1/W) that multiplies the Rayleigh gain |h|^2. */
export function meanGainLinear(meanGainDb: number): number {
  return 10 ** (meanGainDb / 10);
}

/** How the average power budget of P4 is read (README, "Sum capacity budget"). */
export type BudgetMode = 'per-user' | 'total';
export const BUDGET_MODES: readonly BudgetMode[] = ['per-user', 'total'];

/** P4, average sum-capacity maximisation. */
export interface SumCapacityParams {
  /** Peak power per user Pmax, W. */
  maxPowerW: number;
  /** Average power Pav, W (per user or in total, see budgetMode). */
  averagePowerW: number;
  /** per-user: E[sum P] <= Pav * N (reproduces Table III); total: E[sum P] <= Pav. */
  budgetMode: BudgetMode;
}

export const SUM_CAPACITY_DEFAULTS: Readonly<SumCapacityParams> = Object.freeze({
  maxPowerW: 1,
  averagePowerW: 0.5,
  budgetMode: 'per-user',
});

/** The average sum-power budget of P4 for N users, W. */
export function sumCapacityBudget(p: SumCapacityParams, n: number): number {
  return p.budgetMode === 'per-user' ? p.averagePowerW * n : p.averagePowerW;
}

/**
 * The K-user interference channel (issue 23): K transmitter-receiver pairs share a band;
 * maximise sum_k log2(1 + G_kk p_k / (sigma^2 + sum_{j != k} G_kj p_j)), 0 <= p_k <= Pmax.
 * Not one of the routed-MTL paper's problems, so it is not in PROBLEMS (whose members take
 * one gain per user): an instance is a K x K gain matrix.
 */
export const INTERFERENCE = 'interference';
export type InterferenceProblem = typeof INTERFERENCE;

/** Every problem `radio-mtl dataset` generates. */
export type DatasetProblem = Problem | InterferenceProblem;
export const DATASET_PROBLEMS: readonly DatasetProblem[] = [...PROBLEMS, INTERFERENCE];

/** The interference problem: the channel model (src/channels/interference.ts) and the power limit. */
export interface InterferenceParams extends InterferenceChannelSpec {
  /** Peak power per transmitter Pmax, W. */
  maxPowerW: number;
}

export const GEOMETRIC_CHANNEL_DEFAULTS: Readonly<GeometricChannelParams> = Object.freeze({
  areaSidePerSqrtPairM: 50,
  minPairDistanceM: 10,
  maxPairDistanceM: 40,
  pathLossExponent: 3.7,
  refSnrDb: 30,
  refDistanceM: 10,
  minLinkDistanceM: 1,
});

/** Sun et al. (IEEE TSP 2018) Gaussian IC: h_kj ~ CN(0, 1), sigma^2 = 1, Pmax = 1. */
export const INTERFERENCE_DEFAULTS: Readonly<InterferenceParams> = Object.freeze({
  maxPowerW: 1,
  noisePowerW: 1,
  channel: 'gaussian',
  geometric: GEOMETRIC_CHANNEL_DEFAULTS,
});

/** Pairs K an interference instance may have: a K x K matrix of at most 100 x 100 gains. */
export const INTERFERENCE_MIN_PAIRS = 1;
export const INTERFERENCE_MAX_PAIRS = 100;
/** Exhaustive on/off power control tries 2^K - 1 sets: K <= 10 (1023 sets). */
export const ON_OFF_MAX_PAIRS = 10;
