/**
 * A serving fast path for allocation networks: the same computation as the allocation
 * module's tfjs forward pass, with the per-task effective weights (W o mask) precomputed
 * once. Small batches run as plain loops over Float32Arrays (no tfjs per-op overhead, which
 * dominates a single-instance request); large ones as one fused tfjs matMul + bias + ReLU
 * per layer (instead of the training graph's ~50 ops with gathers and mask products).
 *
 * Everything model-specific is read from the network itself: its input builder (gain
 * normalisation, input sorting, task-index feature), its weights and masks, its output
 * scale and active-output tensors. Only the dense layers and the output activations
 * (softmax over the active outputs x Ptot for fdma-delay, sigmoid x Pmax for sum-capacity)
 * are re-expressed here, and `verifyFastPath` checks them against the module's own
 * `allocate` on random gains for every task at load time: on any mismatch the server logs
 * it and uses the module's path only.
 */
import { tf } from '../dnn/engine.js';
import type { AllocationNetwork } from '../dnn/allocation/network.js';
import type { Problem } from '../solvers/params.js';

interface TaskPlan {
  problem: Problem;
  n: number;
  k: number;
  /** Per layer: effective weights [din * dout] row-major, bias [dout]. */
  W: Float32Array[];
  b: Float32Array[];
  nActive: number;
  scale: number;
  fdma: boolean;
}

export interface FastAllocator {
  widths: number[];
  /** Small batches on plain loops, large ones on tfjs (fused matMul + bias + ReLU). */
  allocate(problem: Problem, gains: number[][]): number[][];
  allocateJs(problem: Problem, gains: number[][]): number[][];
  allocateTf(problem: Problem, gains: number[][]): number[][];
  dispose(): void;
}

function values(t: { dataSync(): ArrayLike<number> }): Float32Array {
  return Float32Array.from(t.dataSync());
}

/**
 * out[r][j] = b[j] + sum_i x[r][i] wt[j][i] for B rows (ReLU when `relu`), four rows at a
 * time so every weight loaded serves four rows.
 */
function denseLayer(x: Float32Array, din: number, B: number, wt: Float32Array, b: Float32Array, dout: number, out: Float32Array, relu: boolean): void {
  let r = 0;
  for (; r + 4 <= B; r += 4) {
    const x0 = r * din;
    const x1 = x0 + din;
    const x2 = x1 + din;
    const x3 = x2 + din;
    for (let j = 0; j < dout; j++) {
      let a0 = b[j];
      let a1 = a0;
      let a2 = a0;
      let a3 = a0;
      const wj = j * din;
      for (let i = 0; i < din; i++) {
        const w = wt[wj + i];
        a0 += x[x0 + i] * w;
        a1 += x[x1 + i] * w;
        a2 += x[x2 + i] * w;
        a3 += x[x3 + i] * w;
      }
      if (relu) {
        if (a0 < 0) a0 = 0;
        if (a1 < 0) a1 = 0;
        if (a2 < 0) a2 = 0;
        if (a3 < 0) a3 = 0;
      }
      out[r * dout + j] = a0;
      out[(r + 1) * dout + j] = a1;
      out[(r + 2) * dout + j] = a2;
      out[(r + 3) * dout + j] = a3;
    }
  }
  for (; r < B; r++) {
    const x0 = r * din;
    for (let j = 0; j < dout; j++) {
      let a = b[j];
      const wj = j * din;
      for (let i = 0; i < din; i++) a += x[x0 + i] * wt[wj + i];
      out[r * dout + j] = relu && a < 0 ? 0 : a;
    }
  }
}

/** Precomputes every task's effective weights from a loaded network. */
export function compileFastAllocator(net: AllocationNetwork, jsMaxRows = 16): FastAllocator {
  const widths = net.widths;
  const layers = widths.length - 1;
  const Wall = net.W.map(values);
  const ball = net.b.map(values);
  const masks = (net.masks ?? []).map(values);
  const active = values(net.activeOut);
  const isF = values(net.isFdma);
  const scale = values(net.scale);
  const plans = new Map<string, TaskPlan>();
  net.config.tasks.forEach((task, k) => {
    const W: Float32Array[] = [];
    const b: Float32Array[] = [];
    for (let l = 0; l < layers; l++) {
      const size = widths[l] * widths[l + 1];
      const w = net.perTask[l] ? Wall[l].slice(k * size, (k + 1) * size) : Wall[l].slice();
      const mi = net.maskedLayers.indexOf(l);
      if (mi >= 0 && masks[mi]) {
        const m = masks[mi].subarray(k * size, (k + 1) * size);
        for (let i = 0; i < size; i++) w[i] *= m[i];
      }
      // Transposed ([dout][din]) so each output is one contiguous dot product.
      const din = widths[l];
      const dout = widths[l + 1];
      const wt = new Float32Array(size);
      for (let i = 0; i < din; i++) for (let j = 0; j < dout; j++) wt[j * din + i] = w[i * dout + j];
      W.push(wt);
      b.push(net.perTask[l] ? ball[l].slice(k * widths[l + 1], (k + 1) * widths[l + 1]) : ball[l].slice());
    }
    let nActive = 0;
    for (let i = 0; i < net.outDim; i++) if (active[k * net.outDim + i] > 0.5) nActive = i + 1;
    plans.set(`${task.problem}:${task.n}`, { problem: task.problem, n: task.n, k, W, b, nActive, scale: scale[k], fdma: isF[k] > 0.5 });
  });
  const maxWidth = Math.max(...widths);
  const buildInput = net.buildInput.bind(net) as (
    taskIdx: number[],
    gains: ArrayLike<number>[],
    rows: number,
    rowOffsets?: number[],
    rowIndex?: Int32Array[],
    orders?: Int32Array,
  ) => Float32Array;

  // tfjs copies of the effective weights (row-major [din, dout]) for large batches: one
  // fused matMul + bias + ReLU per layer instead of the training graph's gathers and masks.
  const tfWeights = new Map<string, { W: tf.Tensor2D[]; b: tf.Tensor1D[] }>();
  for (const [key, plan] of plans) {
    tfWeights.set(key, {
      W: plan.W.map((wt, l) => {
        const din = widths[l];
        const dout = widths[l + 1];
        const w = new Float32Array(din * dout);
        for (let j = 0; j < dout; j++) for (let i = 0; i < din; i++) w[i * dout + j] = wt[j * din + i];
        return tf.keep(tf.tensor2d(w, [din, dout]));
      }),
      b: plan.b.map((b) => tf.keep(tf.tensor1d(b))),
    });
  }

  const prepare = (problem: Problem, rows: number[][]) => {
    const n = rows[0].length;
    const key = `${problem}:${n}`;
    const plan = plans.get(key);
    if (!plan) throw new Error(`fast path: no task ${problem} N=${n}`);
    const B = rows.length;
    const flat = new Float64Array(B * n);
    rows.forEach((r, i) => flat.set(r, i * n));
    // Identity orders, overwritten by networks that sort their inputs (buildInput's
    // optional `orders` argument; a network without it leaves the identity).
    const orders = new Int32Array(B * net.maxN);
    for (let r = 0; r < B; r++) for (let i = 0; i < net.maxN; i++) orders[r * net.maxN + i] = i;
    const x = buildInput([plan.k], [flat], B, undefined, undefined, orders);
    return { plan, key, n, B, x, orders };
  };

  const logitsJs = (plan: TaskPlan, x: Float32Array, B: number): Float32Array => {
    let h = x;
    let hw = widths[0];
    const buf = [new Float32Array(B * maxWidth), new Float32Array(B * maxWidth)];
    for (let l = 0; l < layers; l++) {
      const out = buf[l % 2];
      denseLayer(h, hw, B, plan.W[l], plan.b[l], widths[l + 1], out, l < layers - 1);
      h = out;
      hw = widths[l + 1];
    }
    return h;
  };

  const logitsTf = (key: string, x: Float32Array, B: number): Float32Array => {
    const w = tfWeights.get(key) as { W: tf.Tensor2D[]; b: tf.Tensor1D[] };
    const out = tf.tidy(() => {
      let h = tf.tensor2d(x, [B, widths[0]]);
      for (let l = 0; l < layers; l++) {
        h = tf.fused.matMul({ a: h, b: w.W[l], bias: w.b[l], activation: l < layers - 1 ? 'relu' : 'linear' }) as tf.Tensor2D;
      }
      return h;
    });
    const vals = out.dataSync() as Float32Array;
    out.dispose();
    return vals;
  };

  /** Powers per row from logits [B, outDim]: the network's output activation, users un-sorted. */
  const powers = (plan: TaskPlan, h: Float32Array, B: number, n: number, orders: Int32Array): number[][] => {
    const power: number[][] = new Array(B);
    const outDim = widths[layers];
    const p = new Float64Array(outDim);
    for (let r = 0; r < B; r++) {
      const o = r * outDim;
      if (plan.fdma) {
        let max = -Infinity;
        for (let j = 0; j < plan.nActive; j++) max = Math.max(max, h[o + j]);
        let sum = 0;
        for (let j = 0; j < plan.nActive; j++) {
          p[j] = Math.exp(h[o + j] - max);
          sum += p[j];
        }
        for (let j = 0; j < plan.nActive; j++) p[j] = (p[j] / sum) * plan.scale;
      } else {
        for (let j = 0; j < plan.nActive; j++) p[j] = plan.scale / (1 + Math.exp(-h[o + j]));
      }
      const row = new Array<number>(n);
      const ord = r * net.maxN;
      // Output position i belongs to user orders[i] (identity unless the model sorts inputs).
      for (let i = 0; i < n; i++) row[orders[ord + i]] = p[i];
      power[r] = row;
    }
    return power;
  };

  const allocateJs = (problem: Problem, rows: number[][]): number[][] => {
    const { plan, n, B, x, orders } = prepare(problem, rows);
    return powers(plan, logitsJs(plan, x, B), B, n, orders);
  };
  const allocateTf = (problem: Problem, rows: number[][]): number[][] => {
    const { plan, key, n, B, x, orders } = prepare(problem, rows);
    return powers(plan, logitsTf(key, x, B), B, n, orders);
  };
  return {
    widths,
    allocateJs,
    allocateTf,
    allocate: (problem, rows) => (rows.length <= jsMaxRows ? allocateJs(problem, rows) : allocateTf(problem, rows)),
    dispose: () => {
      for (const w of tfWeights.values()) [...w.W, ...w.b].forEach((t) => t.dispose());
    },
  };
}

/**
 * Largest |fast - reference| (W) over `rows` random gain vectors per task, for both the
 * plain-JS and the fused-tfjs paths; the reference is the allocation module's allocate().
 */
export function verifyFastPath(
  fast: FastAllocator,
  reference: (problem: Problem, gains: number[][]) => number[][],
  tasks: Array<{ problem: Problem; n: number }>,
  rows = 16,
): number {
  let worst = 0;
  let seed = 12345;
  const rand = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return (seed + 0.5) / 2147483648;
  };
  for (const t of tasks) {
    const gains = Array.from({ length: rows }, () => Array.from({ length: t.n }, () => -Math.log(rand())));
    const b = reference(t.problem, gains);
    for (const a of [fast.allocateJs(t.problem, gains), fast.allocateTf(t.problem, gains)]) {
      for (let r = 0; r < rows; r++) {
        for (let i = 0; i < t.n; i++) {
          const d = Math.abs(a[r][i] - b[r][i]);
          if (!(d <= worst)) worst = Number.isNaN(d) ? Infinity : d;
        }
      }
    }
  }
  return worst;
}
