/**
 * Creating, saving, loading and serving allocation networks.
 *
 * A model directory (src/dnn/model-io.ts format) holds the bDNN weights W0..W6, b0..b6,
 * for the routed scheme the frozen binary masks mask1..mask5, and a manifest (header
 * shared with every family, src/dnn/manifest.ts) with the scheme, tasks, problem
 * parameters, architecture, training budget and seed, the data manifests' sha256 and the
 * test metrics.
 */
import type { ChannelKnowledge } from '../../channels/channel-knowledge.js';
import { modelFamily, MODEL_KINDS, type ManifestHeader } from '../manifest.js';
import { loadModel, saveModel, ModelFileError } from '../model-io.js';
import type { Problem } from '../../solvers/params.js';
import { VERSION } from '../../version.js';
import type { TaskMetrics } from './evaluate.js';
import { AllocationNetwork, defaultNetworkConfig, type NetworkConfig } from './network.js';
import { LOG_EXP1_MEAN, LOG_EXP1_SD, type AllocationParams, type AllocationTask, type Scheme } from './tasks.js';
import type { TrainOptions, TrainResult } from './trainer.js';
import { InputError } from '../../input-error.js';

/** Which data a model was trained on; channelKnowledge: the imperfect knowledge it was trained with (absent: exact gains). */
export interface AllocationDataIdentity {
  source: Partial<Record<Problem, string>>;
  seed?: number;
  channelKnowledge?: ChannelKnowledge & { seed: number };
}

export const ALLOCATION_MODEL_KIND = MODEL_KINDS.allocation;

export interface AllocationManifest extends ManifestHeader<'allocation'> {
  scheme: Scheme;
  tasks: AllocationTask[];
  params: AllocationParams;
  network: Omit<NetworkConfig, 'scheme' | 'tasks' | 'params'> & { widths: number[]; inDim: number; outDim: number };
  inputNormalisation: string;
  training: {
    seed: number;
    t1: number;
    t2: number;
    learningRate: number;
    routerLearningRate: number;
    batchPerTask: number;
    dualStep: number;
    delayWeight: number;
    fdmaLoss: string;
    lrDecayStart: number;
    lrDecayFloor: number;
    logitPenalty: number;
    /** Loss weighting (absent in models made before weightings existed: equal). */
    weighting?: string;
    /** Final task weights of a non-equal weighting (uncertainty: the log-variances). */
    taskWeights?: number[];
    steps: number;
    trainSeconds: number;
    stepMs: number;
    finalLoss: number;
  };
  /** Final dual variables per task (bits/s/Hz per W; 0 for fdma-delay). */
  lambdas: number[];
  maskDensity?: number[];
  parameterCount: number;
  routerParameterCount: number;
  data: AllocationDataIdentity;
  /** Test metrics at save time (full test split), when evaluated. */
  metrics?: TaskMetrics[];
}

/** A request that this model cannot serve (unknown problem/N, bad gains). */
export class AllocationModelError extends InputError {
  override name = 'AllocationModelError';
}

/** Index of the task (problem, n) among `tasks`; AllocationModelError naming the served sizes otherwise. */
export function allocationTaskIndex(tasks: AllocationTask[], problem: Problem, n: number): number {
  const k = tasks.findIndex((t) => t.problem === problem && t.n === n);
  if (k < 0) {
    const served = tasks.filter((t) => t.problem === problem).map((t) => t.n);
    throw new AllocationModelError(
      served.length
        ? `this model serves ${problem} for N in {${served.join(', ')}}, got a row of N = ${n} gains.`
        : `this model does not serve problem '${problem}' (it serves ${[...new Set(tasks.map((t) => t.problem))].join(', ')}).`,
    );
  }
  return k;
}

/** Row-major gains (rows of n) must all be finite and > 0. */
export function checkAllocationGains(gains: ArrayLike<number>, n: number): void {
  for (let i = 0; i < gains.length; i++) {
    if (!(Number.isFinite(gains[i]) && gains[i] > 0)) {
      throw new AllocationModelError(`gains row ${Math.floor(i / n)}, entry ${i % n}: must be a finite number > 0, got ${gains[i]}.`);
    }
  }
}

/** A fresh network of `scheme` for `tasks` (Table I, with `overrides`), initialised from `seed`. */
export function createAllocationNetwork(
  scheme: Scheme,
  tasks: AllocationTask[],
  params: AllocationParams,
  overrides: Partial<Omit<NetworkConfig, 'scheme' | 'tasks' | 'params'>> = {},
  seed = 0,
): AllocationNetwork {
  return new AllocationNetwork({ ...defaultNetworkConfig(scheme, tasks, params), ...overrides }, seed);
}

export function buildManifest(
  result: TrainResult,
  options: Required<Pick<TrainOptions, 'seed' | 't1' | 't2' | 'learningRate' | 'batchPerTask' | 'dualStep' | 'delayWeight' | 'fdmaLoss' | 'lrDecayStart' | 'lrDecayFloor' | 'logitPenalty' | 'weighting'>> & { routerLearningRate?: number },
  data: AllocationDataIdentity,
  backend: string,
  metrics?: TaskMetrics[],
): AllocationManifest {
  const net = result.net;
  const { scheme, tasks, params, ...rest } = net.config;
  return {
    kind: ALLOCATION_MODEL_KIND,
    scheme,
    tasks,
    params,
    network: { ...rest, widths: net.widths, inDim: net.inDim, outDim: net.outDim },
    inputNormalisation: `z = (ln(g / meanGain) - (${LOG_EXP1_MEAN})) / ${LOG_EXP1_SD}`,
    training: {
      seed: options.seed,
      t1: options.t1,
      t2: options.t2,
      learningRate: options.learningRate,
      routerLearningRate: options.routerLearningRate ?? options.learningRate,
      batchPerTask: options.batchPerTask,
      dualStep: options.dualStep,
      delayWeight: options.delayWeight,
      fdmaLoss: options.fdmaLoss,
      lrDecayStart: options.lrDecayStart,
      lrDecayFloor: options.lrDecayFloor,
      logitPenalty: options.logitPenalty,
      weighting: options.weighting,
      ...(result.taskWeights ? { taskWeights: result.taskWeights } : {}),
      steps: result.steps,
      trainSeconds: result.trainSeconds,
      stepMs: result.stepMs,
      finalLoss: result.finalLoss,
    },
    lambdas: result.lambdas,
    maskDensity: result.maskDensity,
    parameterCount: net.parameterCount(),
    routerParameterCount: result.routerParameterCount,
    data,
    backend,
    toolVersion: VERSION,
    createdAt: new Date().toISOString(),
    metrics,
  };
}

/** Saves the network and manifest, with `sidecars` (e.g. metrics.json) committed in the same version. */
export function saveAllocationModel(dir: string, net: AllocationNetwork, manifest: AllocationManifest, sidecars?: Record<string, string>): void {
  saveModel(dir, { weights: net.namedWeights(), manifest, sidecars });
}

/** Rebuilds the network of a saved model (the engine must be initialised). Throws ModelFileError. */
export function loadAllocationNetwork(dir: string): { net: AllocationNetwork; manifest: AllocationManifest; modelSha256: string; weightsSha256: string } {
  const loaded = loadModel<AllocationManifest>(dir);
  const m = loaded.manifest;
  if (modelFamily(m) !== 'allocation') {
    Object.values(loaded.weights).forEach((t) => t.dispose());
    throw new ModelFileError(`${dir}: not an allocation model (manifest kind '${String(m?.kind)}', expected '${ALLOCATION_MODEL_KIND}').`);
  }
  const { widths: _w, inDim: _i, outDim: _o, ...netRest } = m.network;
  // Exactly the saved configuration: no defaults filled in for fields older models lack.
  const net = new AllocationNetwork({ scheme: m.scheme, tasks: m.tasks, params: m.params, ...netRest }, 0);
  try {
    net.setWeights(loaded.weights);
  } catch (err) {
    net.dispose();
    throw new ModelFileError(`${dir}: ${(err as Error).message}.`);
  } finally {
    Object.values(loaded.weights).forEach((t) => t.dispose());
  }
  return { net, manifest: m, modelSha256: loaded.modelJsonSha256, weightsSha256: loaded.weightsSha256 };
}
