/**
 * What the interference network sees and what its loss needs, built on the host for a
 * batch of every task: the K x K gains placed in the top-left block of a maxK x maxK grid
 * (zero elsewhere), as standardised log-gains, and the raw direct and cross gains.
 *
 * Pairs are presented in descending order of their direct gain G_kk (`sortPairs`): the
 * sum rate is unchanged by relabelling the pairs (rows and columns together), so this is
 * exact, and it gives the MLP a canonical order instead of K! equivalent ones. `order`
 * maps each position back to its pair.
 */
export interface FeatureScale {
  /** Mean and standard deviation of ln G over direct gains, and over cross gains. */
  diagMean: number;
  diagSd: number;
  crossMean: number;
  crossSd: number;
}

/** ln of a gain floored at 1e-30: a zero gain (allowed) stays finite. */
const logGain = (g: number) => Math.log(Math.max(g, 1e-30));

/** Standardisation fitted on `count` K x K instances (fixed afterwards and stored with the model). */
export function fitFeatureScale(gains: ArrayLike<number>, count: number, k: number): FeatureScale {
  const acc = { d: [0, 0, 0], c: [0, 0, 0] };
  for (let s = 0; s < count; s++) {
    for (let r = 0; r < k; r++) {
      for (let t = 0; t < k; t++) {
        const v = logGain(gains[s * k * k + r * k + t]);
        const a = r === t ? acc.d : acc.c;
        a[0]++;
        a[1] += v;
        a[2] += v * v;
      }
    }
  }
  const stats = ([n, sum, sq]: number[]) => {
    const mean = sum / n;
    return [mean, Math.sqrt(Math.max(sq / n - mean * mean, 1e-12))];
  };
  const [diagMean, diagSd] = stats(acc.d);
  const [crossMean, crossSd] = k > 1 ? stats(acc.c) : [diagMean, diagSd];
  return { diagMean, diagSd, crossMean, crossSd };
}

/** One task's instances: `count` K x K matrices, row-major. */
export interface TaskGains {
  k: number;
  count: number;
  gains: ArrayLike<number>;
}

export interface FeatureBatch {
  /** Network input [T, B, inDim]. */
  x: Float32Array;
  /** Direct gains G_kk [T, B, maxK] (0 for padded pairs). */
  direct: Float32Array;
  /** Cross gains G_kj, k != j [T, B, maxK, maxK] (0 on the diagonal and for padded pairs). */
  cross: Float32Array;
  /** Pair presented at each position [T, B, maxK] (-1 for padding). */
  order: Int32Array;
  rows: number;
}

export interface FeatureLayout {
  maxK: number;
  inDim: number;
  /** Task-index input (zero-padding scheme) at the last input position, or none. */
  indexFeature: boolean;
  /** Number of tasks T of the model (the index feature is (t + 1) / T). */
  taskCount: number;
  sortPairs: boolean;
}

/**
 * Features of `rows` instances per task (tasks[i] supplies at least `rows`), starting at
 * instance `offset`; tasks[i] is the model's task taskIds[i] (default i).
 */
export function buildFeatures(tasks: TaskGains[], rows: number, layout: FeatureLayout, scale: FeatureScale, offset = 0, taskIds?: number[]): FeatureBatch {
  const { maxK, inDim } = layout;
  const T = tasks.length;
  const x = new Float32Array(T * rows * inDim);
  const direct = new Float32Array(T * rows * maxK);
  const cross = new Float32Array(T * rows * maxK * maxK);
  const order = new Int32Array(T * rows * maxK).fill(-1);
  tasks.forEach(({ k, gains }, t) => {
    const pos = Array.from({ length: k }, (_, i) => i);
    for (let r = 0; r < rows; r++) {
      const g0 = (offset + r) * k * k;
      const row = t * rows + r;
      if (layout.sortPairs) pos.sort((a, b) => gains[g0 + b * k + b] - gains[g0 + a * k + a] || a - b);
      for (let i = 0; i < k; i++) {
        order[row * maxK + i] = pos[i];
        for (let j = 0; j < k; j++) {
          const g = gains[g0 + pos[i] * k + pos[j]];
          const z = i === j ? (logGain(g) - scale.diagMean) / scale.diagSd : (logGain(g) - scale.crossMean) / scale.crossSd;
          x[row * inDim + i * maxK + j] = z;
          if (i === j) direct[row * maxK + i] = g;
          else cross[(row * maxK + i) * maxK + j] = g;
        }
      }
      if (layout.indexFeature) x[row * inDim + inDim - 1] = ((taskIds?.[t] ?? t) + 1) / layout.taskCount;
    }
  });
  return { x, direct, cross, order, rows };
}
