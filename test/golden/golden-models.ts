/**
 * Golden outputs of the shipped models: fixed inputs and the outputs the models gave for
 * them. test/golden.test.ts checks the models still give them (within 1e-5); after a
 * deliberate retraining, `npm run golden:update` stores the new ones.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { rayleighGains } from '../../src/channels/rayleigh.js';
import { seededUniform } from '../../src/random.js';
import { loadAllocationServable } from '../../src/dnn/allocation/servable.js';
import { initEngine } from '../../src/dnn/engine.js';
import { loadKpiServable } from '../../src/dnn/kpi/servable.js';
import { loadInterferenceServable } from '../../src/dnn/interference/servable.js';
import { allocateInterferenceWithModel } from '../../src/dnn/interference/service.js';
import { interferenceGains } from '../../src/channels/interference.js';
import type { Problem } from '../../src/solvers/params.js';
import { ROOT } from '../../scripts/shared/lib.js';

/** Relative (absolute below 1) tolerance of a golden comparison. */
export const GOLDEN_TOLERANCE = 1e-5;
const ROWS_PER_TASK = 3;
const KPI_WINDOWS = 4;
/** Raw measurement ranges of the fixed KPI windows: RSRP dBm, RSRQ dB, SINR dB. */
const KPI_RANGES: Array<[number, number]> = [[-115, -75], [-18, -6], [-5, 25]];

export interface Golden {
  model: string;
  inputs: unknown;
  outputs: unknown;
}

interface GoldenModel {
  model: string;
  /** The fixed inputs (seeded; stored with the outputs so a test never regenerates them). */
  inputs(): Promise<unknown>;
  run(inputs: unknown): Promise<unknown>;
}

type AllocationInputs = Array<{ problem: Problem; gains: number[][] }>;

// The networks' own forward passes (tfjs), no fallback: the engines' agreement is tested on its own.
const loadAllocation = () => loadAllocationServable(join(ROOT, 'models', 'allocation-routed'), 'allocation-routed', { engine: 'tfjs' });

const allocation: GoldenModel = {
  model: 'allocation-routed',
  async inputs() {
    const model = await loadAllocation();
    const uniform = seededUniform(1);
    const inputs: AllocationInputs = model.tasks.map((t) => {
      const g = rayleighGains(uniform, ROWS_PER_TASK, t.n);
      return { problem: t.problem, gains: Array.from({ length: ROWS_PER_TASK }, (_, r) => Array.from(g.subarray(r * t.n, (r + 1) * t.n))) };
    });
    return inputs;
  },
  async run(inputs) {
    const model = await loadAllocation();
    const out: number[][][] = [];
    for (const task of inputs as AllocationInputs) out.push(await model.allocate(task.problem, task.gains));
    return out;
  },
};

const loadKpi = () => loadKpiServable(join(ROOT, 'models', 'kpi-ple'), 'kpi-ple', { engine: 'tfjs' });

const kpi: GoldenModel = {
  model: 'kpi-ple',
  async inputs() {
    const model = await loadKpi();
    const uniform = seededUniform(2);
    return Array.from({ length: KPI_WINDOWS }, () =>
      Array.from({ length: model.windowLength }, () => KPI_RANGES.map(([lo, hi]) => Math.round(10 * (lo + (hi - lo) * uniform())) / 10)),
    );
  },
  async run(inputs) {
    return (await loadKpi()).predict(inputs as number[][][]);
  },
};

const loadInterference = () => loadInterferenceServable(join(ROOT, 'models', 'interference-routed'), 'interference-routed', { engine: 'tfjs' });

/** Interference: per trained K, three seeded channels of the model's channel model. */
const interference: GoldenModel = {
  model: 'interference-routed',
  async inputs() {
    const model = await loadInterference();
    const uniform = seededUniform(3);
    return model.sizes.map((k) => {
      const g = interferenceGains(uniform, ROWS_PER_TASK, k, model.params);
      return Array.from({ length: ROWS_PER_TASK }, (_, s) => Array.from({ length: k }, (_, r) => Array.from(g.subarray((s * k + r) * k, (s * k + r + 1) * k))));
    });
  },
  async run(inputs) {
    const model = await loadInterference();
    const out: number[][][] = [];
    for (const batch of inputs as number[][][][]) out.push((await allocateInterferenceWithModel(model, batch)).power);
    return out;
  },
};

export const GOLDEN_MODELS: readonly GoldenModel[] = [allocation, kpi, interference];

export const goldenPath = (model: string): string => join(ROOT, 'test', 'golden', `${model}.json`);

export function readGolden(model: string): Golden {
  return JSON.parse(readFileSync(goldenPath(model), 'utf8')) as Golden;
}

/** Runs every shipped model on its fixed inputs and stores the outputs. */
export async function updateGoldens(): Promise<void> {
  await initEngine();
  for (const g of GOLDEN_MODELS) {
    const inputs = await g.inputs();
    const golden: Golden = { model: g.model, inputs, outputs: await g.run(inputs) };
    writeFileSync(goldenPath(g.model), `${JSON.stringify(golden, null, 1)}\n`);
    process.stdout.write(`golden:update: wrote ${goldenPath(g.model)}\n`);
  }
}
