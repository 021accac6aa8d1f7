/**
 * The one thing detection needs from a KPI model: answers for a batch of raw windows. Kept
 * this narrow so that any model path (today's /v1/kpi/predict implementation, a KPI service,
 * an ensemble) can serve detection through one small adapter.
 */

/** A raw row [rsrp_dBm, rsrq_dB, sinr_dB]; null where a value is missing. */
export type RawRow = ReadonlyArray<number | null>;

export interface WindowAnswer {
  /** Probability that the window's last row is under interference. */
  probability: number;
  /** Next-row forecast [rsrp_dBm, rsrq_dB, sinr_dB]. */
  forecast: [number, number, number];
}

export interface WindowPredictor {
  /** Model name (answers say which model made them). */
  readonly model: string;
  /** Rows per window. */
  readonly windowLength: number;
  /**
   * One answer per window, in order; null for a window the model path refuses to answer
   * (too many missing values, by the same rule as POST /v1/kpi/predict).
   */
  predictWindows(windows: RawRow[][]): Promise<Array<WindowAnswer | null>>;
}
