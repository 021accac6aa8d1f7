/**
 * The one inference interface of allocation networks: powers for batches of gain vectors,
 * on ONNX Runtime (each task exported to ONNX, one session per task) or on the network's
 * own tfjs forward pass. The CLI, the server and the benchmarks call this, never a forward
 * pass of their own.
 */
import { allocationTaskToOnnx } from '../../onnx/export-allocation.js';
import type { Problem } from '../../solvers/params.js';
import { buildOnEngine, sessionOptions, type EngineOptions, type InferenceEngine, type OrtModule, type OrtSession } from '../inference-engine.js';
import { predictPowers } from './evaluate.js';
import { allocationTaskIndex, checkAllocationGains } from './model.js';
import type { AllocationNetwork } from './network.js';
import { outputScale, type AllocationTask } from './tasks.js';

export interface AllocationPredictor {
  readonly engine: InferenceEngine;
  readonly tasks: AllocationTask[];
  /** Powers (W) for row-major gains (rows of n) of one task; AllocationModelError for a task or gain the model cannot take. */
  predictRows(problem: Problem, n: number, gains: Float64Array): Promise<Float64Array>;
  /** Powers (W) for each row of gains (rows may differ in N). */
  allocate(problem: Problem, rows: number[][]): Promise<number[][]>;
  dispose(): Promise<void>;
}

type RowsPredictor = (k: number, gains: Float64Array) => Promise<Float64Array>;

function predictorOver(net: AllocationNetwork, engine: InferenceEngine, rowsOf: RowsPredictor, release: () => Promise<void>): AllocationPredictor {
  const tasks = net.config.tasks;
  const predictRows = async (problem: Problem, n: number, gains: Float64Array): Promise<Float64Array> => {
    const k = allocationTaskIndex(tasks, problem, n);
    checkAllocationGains(gains, n);
    return gains.length === 0 ? new Float64Array(0) : rowsOf(k, gains);
  };
  return {
    engine,
    tasks,
    predictRows,
    async allocate(problem, rows) {
      const power: number[][] = new Array(rows.length);
      const byN = new Map<number, number[]>();
      rows.forEach((r, i) => {
        const idx = byN.get(r.length);
        if (idx) idx.push(i);
        else byN.set(r.length, [i]);
      });
      for (const [n, idx] of byN) {
        const flat = new Float64Array(idx.length * n);
        idx.forEach((i, j) => flat.set(rows[i], j * n));
        const out = await predictRows(problem, n, flat);
        idx.forEach((i, j) => (power[i] = Array.from(out.subarray(j * n, (j + 1) * n))));
      }
      return power;
    },
    dispose: release,
  };
}

/**
 * ONNX Runtime computes in float32: a softmax sums to Ptot, and a sigmoid times Pmax stays
 * below Pmax, only to ~1e-7 relative. Restores both in float64 so the constraints hold to
 * round-off, as on the tfjs path (zero-padding's softmax also covers padded outputs, so its
 * first N powers may legitimately sum to less than Ptot).
 */
function restoreConstraints(net: AllocationNetwork, task: AllocationTask, power: Float64Array): void {
  const scale = outputScale(task.problem, net.config.params);
  const n = task.n;
  if (task.problem === 'sum-capacity') {
    for (let i = 0; i < power.length; i++) power[i] = Math.min(power[i], scale);
    return;
  }
  for (let r = 0; r < power.length / n; r++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += power[r * n + i];
    if (net.config.scheme === 'zero-padding' && sum <= scale) continue;
    for (let i = 0; i < n; i++) power[r * n + i] *= scale / sum;
  }
}

async function onnxRowsPredictor(net: AllocationNetwork, ort: OrtModule, opts: EngineOptions): Promise<{ rowsOf: RowsPredictor; release: () => Promise<void> }> {
  const sessions: OrtSession[] = [];
  const release = async () => {
    await Promise.all(sessions.map((s) => s.release()));
  };
  const rowsOf: RowsPredictor = async (k, gains) => {
    const task = net.config.tasks[k];
    const input = new ort.Tensor('float32', Float32Array.from(gains), [gains.length / task.n, task.n]);
    const out = await sessions[k].run({ gains: input });
    const power = Float64Array.from(out.power.data as Float32Array);
    restoreConstraints(net, task, power);
    return power;
  };
  try {
    for (const [k, task] of net.config.tasks.entries()) {
      sessions.push(await ort.InferenceSession.create(allocationTaskToOnnx(net, task.problem, task.n), sessionOptions(opts)));
      // One pass now, so a session that builds but cannot run falls back at load time.
      await rowsOf(k, new Float64Array(task.n).fill(1));
    }
  } catch (err) {
    await release();
    throw err;
  }
  return { rowsOf, release };
}

/** The predictor of a loaded network on the engine `opts.engine` asks for (default 'auto'). */
export async function createAllocationPredictor(net: AllocationNetwork, opts: EngineOptions = {}): Promise<AllocationPredictor> {
  return buildOnEngine(opts, {
    onnxruntime: async (ort) => {
      const { rowsOf, release } = await onnxRowsPredictor(net, ort, opts);
      return predictorOver(net, 'onnxruntime', rowsOf, release);
    },
    tfjs: () => predictorOver(net, 'tfjs', async (k, gains) => predictPowers(net, [k], [gains])[0], async () => undefined),
  });
}
