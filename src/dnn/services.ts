/**
 * A loaded model as the library hands it out (`openModel`): its family's service
 * (allocation/service.ts, kpi/service.ts, kpi/series.ts) bound to it, so a library user gets
 * the answers the CLI and the server give.
 */
import type { Problem } from '../solvers/params.js';
import type { KpiProfile } from '../measurements/inputs.js';
import { allocateWithModel, type AllocationAnswer, type AllocationServable, type AllocationTaskRef } from './allocation/service.js';
import { allocateInterferenceWithModel, type InterferenceAnswer, type InterferenceServable } from './interference/service.js';
import type { InterferenceParams } from '../solvers/params.js';
import { calibrateProfile, predictWindows, type KpiAnswer, type KpiPredictOptions } from './kpi/service.js';
import { predictSeries, type KpiSeries, type KpiSeriesOptions } from './kpi/series.js';
import type { KpiServable } from './kpi/servable.js';

export interface AllocationService {
  kind: 'allocation';
  name: string;
  version: string;
  scheme: string;
  tasks: AllocationTaskRef[];
  /** Powers (W) for raw gain vectors of one N, with objective, constraint violation and who solved each. */
  allocate(problem: Problem, gains: number[][]): Promise<AllocationAnswer>;
}

export interface KpiService {
  kind: 'kpi';
  name: string;
  version: string;
  architecture: string;
  windowLength: number;
  /** Saved scalers by name; the first is the default. */
  scalers: string[];
  /** Interference probability and next-step KPIs for raw windows (null: a missing value). */
  predict(windows: unknown, opts?: Omit<KpiPredictOptions, 'forward'>): Promise<KpiAnswer>;
  /** A cell's calibration profile from its unlabelled history rows. */
  calibrate(rows: unknown): Promise<KpiProfile>;
  /** Every window of a long series of rows, in bounded batches. */
  predictSeries(rows: unknown, opts?: Omit<KpiSeriesOptions, 'forward'>): Promise<KpiSeries>;
}

export interface InterferenceService {
  kind: 'interference';
  name: string;
  version: string;
  scheme: string;
  /** Trained numbers of pairs K; any K between the smallest and the largest is served. */
  sizes: number[];
  params: InterferenceParams;
  /** Powers (W) and sum rates for one K x K gain matrix (row k: gains into receiver k) or a batch of them. */
  allocate(gains: unknown): Promise<InterferenceAnswer>;
}

export type ModelService = AllocationService | InterferenceService | KpiService;

export function serviceOf(model: AllocationServable | InterferenceServable | KpiServable): ModelService {
  if (model.kind === 'allocation') {
    const { name, version, scheme, tasks } = model;
    return { kind: 'allocation', name, version, scheme, tasks, allocate: (problem, gains) => allocateWithModel(model, problem, gains) };
  }
  if (model.kind === 'interference') {
    const { name, version, scheme, sizes, params } = model;
    return { kind: 'interference', name, version, scheme, sizes, params, allocate: (gains) => allocateInterferenceWithModel(model, gains) };
  }
  const { name, version, architecture, windowLength, scalers } = model;
  return {
    kind: 'kpi',
    name,
    version,
    architecture,
    windowLength,
    scalers,
    predict: (windows, opts) => predictWindows(model, windows, opts),
    calibrate: (rows) => calibrateProfile(model, rows),
    predictSeries: (rows, opts) => predictSeries(model, rows, opts),
  };
}
