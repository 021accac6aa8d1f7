/**
 * Evaluation of an allocation network against the optimum (paper Tables II and III).
 *  - fdma-delay: E[(f0(y) - f0(x*))^2] (s^2, Table II) plus the median and mean relative
 *    delay gap (f0(y) - f0(x*)) / f0(x*) (the MSE is dominated by deep fades:
 *    E[1/|h|^2] diverges under Rayleigh fading).
 *  - sum-capacity: average capacity in bits/s/Hz, average sum power, constraint violation
 *    max(0, E[sum P] - budget) (W and % of budget), % of the exact optimum.
 * All objective arithmetic is float64 via src/solvers/objectives.ts.
 */
import { tf } from '../engine.js';
import { fdmaMeanDelay, sumCapacityBits } from '../../solvers/objectives.js';
import type { SplitArrays } from '../../datasets/allocation/dataset-files.js';
import type { AllocationNetwork } from './network.js';
import { taskBudget, type AllocationParams, type AllocationTask } from './tasks.js';
import { median } from '../../median.js';

/** Rows per forward pass at evaluation. */
const EVAL_CHUNK = 4096;

/** Called after each chunk: rows just done and the total, per task (the largest task's count). */
export type RowsProgress = (rows: number, total: number) => void;

/**
 * Powers (W, float64, count x N_k row-major) for each task in `taskIdx`, given each
 * task's gains (count_k x N_k). Tasks are run together, in chunks of EVAL_CHUNK rows.
 */
export function predictPowers(net: AllocationNetwork, taskIdx: number[], gains: Float64Array[], maxRows?: number, onRows?: RowsProgress): Float64Array[] {
  const counts = gains.map((g, j) => Math.min(g.length / net.config.tasks[taskIdx[j]].n, maxRows ?? Infinity));
  const outs = counts.map((c, j) => new Float64Array(c * net.config.tasks[taskIdx[j]].n));
  const most = Math.max(0, ...counts);
  for (let start = 0; start < most; start += EVAL_CHUNK) {
    const rows = Math.min(EVAL_CHUNK, most - start);
    const orders = new Int32Array(taskIdx.length * rows * net.maxN);
    const x = net.buildInput(taskIdx, gains, rows, taskIdx.map(() => start), undefined, orders);
    const p = tf.tidy(() => {
      const xt = tf.tensor3d(x, [taskIdx.length, rows, net.inDim]);
      return net.powers(net.logits(xt, taskIdx), taskIdx);
    });
    const vals = p.dataSync();
    p.dispose();
    taskIdx.forEach((k, j) => {
      const n = net.config.tasks[k].n;
      const upto = Math.min(rows, counts[j] - start);
      for (let r = 0; r < upto; r++) {
        const src = (j * rows + r) * net.outDim;
        const dst = (start + r) * n;
        const ord = (j * rows + r) * net.maxN;
        // Output position i belongs to user orders[i] (identity unless sortInputs).
        for (let i = 0; i < n; i++) outs[j][dst + orders[ord + i]] = vals[src + i];
      }
    });
    onRows?.(rows, most);
  }
  // A float32 softmax sums to Ptot only to ~1e-7 relative; rescale each fdma-delay row in
  // float64 so that sum P = Ptot holds to round-off (zero-padding's softmax also covers the
  // padded outputs, so its first N powers legitimately sum to less).
  if (net.config.scheme !== 'zero-padding') {
    taskIdx.forEach((k, j) => {
      const task = net.config.tasks[k];
      if (task.problem !== 'fdma-delay') return;
      const ptot = net.config.params.fdmaDelay.totalPowerW;
      const o = outs[j];
      for (let r = 0; r < counts[j]; r++) {
        let sum = 0;
        for (let i = 0; i < task.n; i++) sum += o[r * task.n + i];
        if (sum > 0) for (let i = 0; i < task.n; i++) o[r * task.n + i] *= ptot / sum;
      }
    });
  }
  return outs;
}

export interface FdmaMetrics {
  problem: 'fdma-delay';
  n: number;
  samples: number;
  /** Table II: E[(f0(y) - f0(x*))^2], s^2. */
  delayMse: number;
  /** Median of (f0(y) - f0(x*)) / f0(x*). */
  medianRelGap: number;
  meanRelGap: number;
  p95RelGap: number;
  /** Mean of f0(y), s, and of f0(x*), s. */
  meanDelay: number;
  meanOptimalDelay: number;
  /** MSE of the powers to the optimal powers, W^2 per entry. */
  powerMse: number;
  /** Largest violation of sum P <= Ptot or P >= 0, W (softmax: round-off only). */
  maxViolationW: number;
}

export interface SumCapacityMetrics {
  problem: 'sum-capacity';
  n: number;
  samples: number;
  /** Table III: mean log2(1 + sum g P), bits/s/Hz. */
  capacityBits: number;
  meanSumPowerW: number;
  budgetW: number;
  /** max(0, E[sum P] - budget), W, and as a fraction of the budget. */
  violationW: number;
  violationFrac: number;
  /** Largest box violation (P < 0 or P > Pmax), W. */
  maxBoxViolationW: number;
}

export type TaskMetrics = FdmaMetrics | SumCapacityMetrics;

/** fdma-delay metrics of `power` (count x N) on the TRUE gains and optimum of `split`. */
export function fdmaMetrics(task: AllocationTask, params: AllocationParams, split: SplitArrays, power: Float64Array): FdmaMetrics {
  const { n } = task;
  const p = params.fdmaDelay;
  const count = power.length / n;
  const gaps = new Float64Array(count);
  let sq = 0;
  let gapSum = 0;
  let dSum = 0;
  let oSum = 0;
  let pm = 0;
  let viol = 0;
  for (let s = 0; s < count; s++) {
    const g = split.gains.subarray(s * n, (s + 1) * n);
    const y = power.subarray(s * n, (s + 1) * n);
    const d = fdmaMeanDelay(p, g, y);
    const opt = split.objective ? split.objective[s] : NaN;
    sq += (d - opt) ** 2;
    gaps[s] = (d - opt) / opt;
    gapSum += gaps[s];
    dSum += d;
    oSum += opt;
    let total = 0;
    for (let i = 0; i < n; i++) {
      total += y[i];
      viol = Math.max(viol, -y[i]);
      if (split.power) pm += (y[i] - split.power[s * n + i]) ** 2;
    }
    viol = Math.max(viol, total - p.totalPowerW);
  }
  gaps.sort();
  return {
    problem: 'fdma-delay',
    n,
    samples: count,
    delayMse: sq / count,
    medianRelGap: median(gaps),
    meanRelGap: gapSum / count,
    p95RelGap: gaps[Math.min(count - 1, Math.floor(0.95 * count))],
    meanDelay: dSum / count,
    meanOptimalDelay: oSum / count,
    powerMse: pm / (count * n),
    maxViolationW: Math.max(0, viol),
  };
}

/** sum-capacity metrics of `power` (count x N) on the TRUE gains of `split`. */
export function sumCapacityMetrics(task: AllocationTask, params: AllocationParams, split: SplitArrays, power: Float64Array): SumCapacityMetrics {
  const { n } = task;
  const pmax = params.sumCapacity.maxPowerW;
  const count = power.length / n;
  let cap = 0;
  let psum = 0;
  let box = 0;
  for (let s = 0; s < count; s++) {
    const g = split.gains.subarray(s * n, (s + 1) * n);
    const y = power.subarray(s * n, (s + 1) * n);
    cap += sumCapacityBits(g, y);
    for (let i = 0; i < n; i++) {
      psum += y[i];
      box = Math.max(box, -y[i], y[i] - pmax);
    }
  }
  const budgetW = taskBudget(task, params);
  const meanSumPowerW = psum / count;
  const violationW = Math.max(0, meanSumPowerW - budgetW);
  return {
    problem: 'sum-capacity',
    n,
    samples: count,
    capacityBits: cap / count,
    meanSumPowerW,
    budgetW,
    violationW,
    violationFrac: violationW / budgetW,
    maxBoxViolationW: box,
  };
}

/** Metrics of `powers` (one array per task, count x N) on the true gains of `splits`. */
export function taskMetrics(tasks: AllocationTask[], params: AllocationParams, splits: SplitArrays[], powers: Float64Array[]): TaskMetrics[] {
  return tasks.map((task, k) => (task.problem === 'fdma-delay' ? fdmaMetrics(task, params, splits[k], powers[k]) : sumCapacityMetrics(task, params, splits[k], powers[k])));
}

/**
 * Metrics of every task of `net` on `splits` (one per task, same order), up to maxRows each.
 * The network reads `inputs` (observed gains per task, imperfect channel knowledge) when
 * given, else the splits' gains; the metrics always use the splits' true gains.
 */
export function evaluateNetwork(net: AllocationNetwork, splits: SplitArrays[], maxRows?: number, onRows?: RowsProgress, inputs?: Float64Array[]): TaskMetrics[] {
  const idx = net.config.tasks.map((_, k) => k);
  const powers = predictPowers(net, idx, inputs ?? splits.map((s) => s.gains), maxRows, onRows);
  return taskMetrics(net.config.tasks, net.config.params, splits, powers);
}
