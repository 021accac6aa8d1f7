/**
 * How raw KPI measurements (RSRP dBm, RSRQ dB, SINR dB) become model inputs: one
 * affine map per column, scaled = (raw - offset) / scale, stored as a MinMaxScaler
 * with min = offset and max = offset + scale, so windows, metrics, saved models and
 * the server read every choice the same way.
 *
 *  - `file-minmax`: min-max of each file's training rows (the paper's recipe). A cell
 *    without its own scaler gets the training files' scalers pooled (widest range).
 *  - `physical`: the fixed 3GPP reporting ranges; nothing is fitted.
 *  - `profile`: offset = the cell's 90th percentile (its interference-free level:
 *    interference pulls SINR and RSRQ DOWN, so the upper quantiles stay clean), scale
 *    = the reporting range's width, so one scaled unit is the same number of dB on
 *    every cell. A cell without a profile gets the training rows' pooled profile.
 *  - `pooled`: ONE min-max scaler fitted on the training files' training rows taken
 *    together, for every cell at training and serving alike; a profile changes nothing,
 *    so the API's default path is exactly what evaluation scores.
 *  - `file-robust`: offset = the cell's median, scale = its 10-90% inter-quantile range
 *    (robust to the outliers that set a min-max); a cell without a profile gets the
 *    statistics of the training rows pooled.
 *
 * A profile is what a cell's unlabelled history is reduced to: per-column quantiles
 * of raw rows, tagged with a format version and the model identity it was made for, and
 * (set by calibration, which runs the model) the cell's forecast gain.
 */
import { z } from 'zod';
import { KPI_COLUMNS, MEASUREMENT_RANGES } from './domain.js';
import type { MinMaxScaler } from './scaler.js';
import { InputError } from '../input-error.js';

export const KPI_INPUTS = ['file-minmax', 'physical', 'profile', 'pooled', 'file-robust'] as const;
export type KpiInputs = (typeof KPI_INPUTS)[number];
export const DEFAULT_KPI_INPUTS: KpiInputs = 'file-minmax';

export const PROFILE_KIND = 'kpi-profile';
export const PROFILE_VERSION = 1;
/** The quantile the `profile` inputs take as a cell's interference-free level. */
export const PROFILE_LEVEL_QUANTILE = 0.9;

export class ProfileError extends InputError {
  override name = 'ProfileError';
}

/** Per-column statistics of one cell's raw rows, in [RSRP, RSRQ, SINR] order. */
const columnStats = z.array(z.number().finite()).length(3);
const profileSchema = z
  .object({
    kind: z.literal(PROFILE_KIND),
    version: z.literal(PROFILE_VERSION),
    /** Identity of the model the profile was made for. */
    model: z.string().min(1),
    columns: z.tuple([z.literal('RSRP'), z.literal('RSRQ'), z.literal('SINR')]),
    /** Rows summarised (a row counts when at least one of its values is present). */
    rows: z.number().int().positive(),
    min: columnStats,
    q10: columnStats,
    median: columnStats,
    q90: columnStats,
    max: columnStats,
    /**
     * Per column, how much of the model's predicted step to keep over persistence on this
     * cell (src/dnn/kpi/forecast-gain.ts); absent when the history was too short to fit it (1).
     */
    forecastGain: z.array(z.number().min(0).max(1)).length(3).optional(),
  })
  .strict()
  .superRefine((p, ctx) => {
    // Order statistics of one column: a profile breaking their order was not made by computeProfile.
    const order = ['min', 'q10', 'median', 'q90', 'max'] as const;
    for (let j = 0; j < 3; j++) {
      for (let k = 0; k + 1 < order.length; k++) {
        const [a, b] = [order[k], order[k + 1]];
        if (p[a][j] > p[b][j]) {
          ctx.addIssue({ code: 'custom', path: [a, j], message: `${p[a][j]} must not exceed profile.${b}.${j} (${p[b][j]}): min <= q10 <= median <= q90 <= max per column` });
          return;
        }
      }
    }
  });
export type KpiProfile = z.infer<typeof profileSchema>;

/** The identity a profile is made for: model name and weights version (a retrained model needs new profiles). */
export function profileIdentity(model: { name: string; version: string }): string {
  return `${model.name}@${model.version}`;
}

/** Quantile q of sorted values, linear interpolation between order statistics (numpy's default). */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) throw new Error('quantile of no values');
  const pos = q * (n - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
}

/**
 * The profile of raw rows ([RSRP, RSRQ, SINR] each; null or NaN = a missing value,
 * skipped). Refuses zero rows and a column without a single value, naming it.
 */
export function computeProfile(rows: ArrayLike<ArrayLike<number | null>>, model: string): KpiProfile {
  if (rows.length === 0) throw new ProfileError('rows: need at least one row to make a profile');
  // Typed columns filled in place: a server makes profiles of 100,000 rows on its event loop.
  const cols = [0, 1, 2].map(() => new Float64Array(rows.length));
  const sizes = [0, 0, 0];
  let counted = 0;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    let any = false;
    for (let j = 0; j < 3; j++) {
      const v = row[j];
      if (v !== null && Number.isFinite(v)) {
        cols[j][sizes[j]++] = v;
        any = true;
      }
    }
    if (any) counted++;
  }
  const sorted = cols.map((c, j) => {
    if (sizes[j] === 0) throw new ProfileError(`rows: column ${KPI_COLUMNS[j]} holds no value; a profile needs at least one per column`);
    return c.subarray(0, sizes[j]).sort();
  });
  const stat = (q: number) => sorted.map((s) => quantileSorted(s, q));
  return {
    kind: PROFILE_KIND,
    version: PROFILE_VERSION,
    model,
    columns: [...KPI_COLUMNS],
    rows: counted,
    min: stat(0),
    q10: stat(0.1),
    median: stat(0.5),
    q90: stat(PROFILE_LEVEL_QUANTILE),
    max: stat(1),
  };
}

/** Rows [n, 3] of a flat row-major array, as views (for computeProfile and fitMinMax). */
export function rowsOf(values: Float64Array, start: number, end: number): Float64Array[] {
  return Array.from({ length: end - start }, (_, i) => values.subarray((start + i) * 3, (start + i + 1) * 3));
}

/**
 * Checks a profile a client sent back: its shape (every field named on failure) and
 * that it was made for `model`. Returns it typed.
 */
export function parseProfile(value: unknown, model: string): KpiProfile {
  const r = profileSchema.safeParse(value);
  if (!r.success) {
    const issue = r.error.issues[0];
    const field = ['profile', ...issue.path.map(String)].join('.');
    throw new ProfileError(`${field}: ${issue.message}`);
  }
  if (r.data.model !== model) throw new ProfileError(`profile.model: made for model '${r.data.model}', not '${model}'`);
  return r.data;
}

/** The fixed 3GPP reporting ranges as a scaler. */
export function physicalScaler(): MinMaxScaler {
  return { columns: [...KPI_COLUMNS], min: MEASUREMENT_RANGES.map((m) => m.range[0]), max: MEASUREMENT_RANGES.map((m) => m.range[1]) };
}

/**
 * The input scaler of `inputs` for a cell described by `profile`. `pooled` is the
 * model's one scaler: a `pooled` model scales every cell with it, profile or not.
 */
export function scalerFromProfile(inputs: KpiInputs, profile: KpiProfile, pooled?: Pick<MinMaxScaler, 'min' | 'max'>): MinMaxScaler {
  switch (inputs) {
    case 'file-minmax':
      return { columns: [...KPI_COLUMNS], min: [...profile.min], max: [...profile.max] };
    case 'pooled':
      if (!pooled) throw new Error("'pooled' inputs need the model's pooled scaler");
      return { columns: [...KPI_COLUMNS], min: [...pooled.min], max: [...pooled.max] };
    case 'file-robust': {
      // A constant column has no spread: one dB (or dBm) per unit keeps the map finite.
      const spread = profile.q90.map((v, j) => Math.max(v - profile.q10[j], 1));
      return { columns: [...KPI_COLUMNS], min: [...profile.median], max: profile.median.map((v, j) => v + spread[j]) };
    }
    case 'physical':
      return physicalScaler();
    case 'profile': {
      const width = MEASUREMENT_RANGES.map((m) => m.range[1] - m.range[0]);
      return { columns: [...KPI_COLUMNS], min: [...profile.q90], max: profile.q90.map((v, j) => v + width[j]) };
    }
  }
}

type Rows = ArrayLike<ArrayLike<number | null>>;

/** The input scaler of `inputs` fitted on raw rows of one cell (or pooled rows of several). */
export function fitInputScaler(inputs: KpiInputs, rows: Rows): MinMaxScaler {
  const profile = computeProfile(rows, 'fit');
  return scalerFromProfile(inputs, profile, inputs === 'pooled' ? scalerFromProfile('file-minmax', profile) : undefined);
}

/**
 * The scalers of `inputs` for training files given by their training rows: one per file
 * and `pooled`, the one fitted on all those rows together (what a cell without a
 * profile gets; for `pooled` inputs every file's scaler too).
 */
export function fitFileScalers(inputs: KpiInputs, rowsByFile: Rows[]): { perFile: MinMaxScaler[]; pooled: MinMaxScaler } {
  const all = rowsByFile.flatMap((rows) => Array.from(rows));
  const pooled = fitInputScaler(inputs, all);
  const perFile = rowsByFile.map((rows) => (inputs === 'pooled' ? pooled : fitInputScaler(inputs, rows)));
  return { perFile, pooled };
}

export function isKpiInputs(v: string): v is KpiInputs {
  return (KPI_INPUTS as readonly string[]).includes(v);
}
