/**
 * The 14 allocation tasks (2 problems x 7 sizes N) and the constants every scheme
 * shares: Table I architecture, input normalisation, output scaling.
 * Problem constants (Ptot, Pmax, budget) come from src/solvers/params.ts.
 */
import {
  FDMA_DELAY_DEFAULTS,
  PAPER_SIZES,
  PROBLEMS,
  SUM_CAPACITY_DEFAULTS,
  meanGainLinear,
  sumCapacityBudget,
  type FdmaDelayParams,
  type Problem,
  type SumCapacityParams,
} from '../../solvers/params.js';

/** One task: a problem at a size N. Tasks are ordered problem-major (fdma-delay first). */
export interface AllocationTask {
  problem: Problem;
  n: number;
}

/** The paper's 14 tasks: fdma-delay then sum-capacity, each at N = 5..20. */
export function paperTasks(sizes: readonly number[] = PAPER_SIZES, problems: readonly Problem[] = PROBLEMS): AllocationTask[] {
  return problems.flatMap((problem) => sizes.map((n) => ({ problem, n })));
}

export const SCHEMES = ['routed', 'naive', 'zero-padding', 'single-task'] as const;
export type Scheme = (typeof SCHEMES)[number];

/** Table I constants (all overridable through TrainOptions / the CLI). */
export const TABLE_I = Object.freeze({
  /** Hidden widths d1..d6 of the bDNN; d1 = d6 = max N. Weight layers: in->d1->...->d6->out (7). */
  hiddenWidths: [20, 32, 32, 32, 32, 20] as readonly number[],
  /** rDNN hidden nodes T. */
  routerHidden: 20,
  /** rDNN output activation ReLU(tanh(gamma x)). */
  gamma: 5,
  /** rDNN weight init N(mu, sigma^2). */
  routerMu: 0.1,
  routerSigma: 0.001,
  batchPerTask: 32,
  learningRate: 1e-3,
  t1: 5000,
  t2: 5000,
});

/** Problem parameters used by a model (recorded in its manifest). */
export interface AllocationParams {
  fdmaDelay: FdmaDelayParams;
  sumCapacity: SumCapacityParams;
}

export const DEFAULT_ALLOCATION_PARAMS: Readonly<AllocationParams> = Object.freeze({
  fdmaDelay: { ...FDMA_DELAY_DEFAULTS },
  sumCapacity: { ...SUM_CAPACITY_DEFAULTS },
});

/**
 * Input normalisation. Under Rayleigh fading g/mean ~ Exp(1) spans decades, so the
 * network sees z = (ln(g / meanGain) - E[ln X]) / sd[ln X] with X ~ Exp(1):
 * E[ln X] = -Euler's gamma, sd[ln X] = pi / sqrt(6). Fixed constants (not fitted to
 * the data), so a model needs no stored scaler and z is ~zero-mean, unit-variance.
 */
export const LOG_EXP1_MEAN = -0.5772156649015329;
export const LOG_EXP1_SD = Math.PI / Math.sqrt(6);

/** Mean channel gain that the normalisation divides by, per problem. */
export function meanGainOf(problem: Problem, params: AllocationParams): number {
  return problem === 'fdma-delay' ? meanGainLinear(params.fdmaDelay.meanGainDb) : 1;
}

export function normaliseGain(g: number, meanGain: number): number {
  // A zero gain (never produced by the generator) is floored at 1e-12 of the mean.
  return (Math.log(Math.max(g / meanGain, 1e-12)) - LOG_EXP1_MEAN) / LOG_EXP1_SD;
}

/** Output scale: Ptot for fdma-delay (softmax * Ptot), Pmax for sum-capacity (sigmoid * Pmax). */
export function outputScale(problem: Problem, params: AllocationParams): number {
  return problem === 'fdma-delay' ? params.fdmaDelay.totalPowerW : params.sumCapacity.maxPowerW;
}

/** Average sum-power budget of a sum-capacity task, W. */
export function taskBudget(t: AllocationTask, params: AllocationParams): number {
  return sumCapacityBudget(params.sumCapacity, t.n);
}

/** Value of the task-index input feature of the naive and zero-padding schemes: (k+1)/K. */
export function taskIndexFeature(k: number, numTasks: number): number {
  return (k + 1) / numTasks;
}
