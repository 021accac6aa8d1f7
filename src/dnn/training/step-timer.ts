/** Wall time of the training steps alone (no validation, evaluation or checkpointing). */
export class StepTimer {
  constructor(
    /** Steps timed so far (restored from a checkpoint on resume). */
    public steps = 0,
    /** Their total wall seconds. */
    public seconds = 0,
  ) {}

  /** Runs one step and adds its wall time. */
  time<T>(step: () => T): T {
    const start = performance.now();
    try {
      return step();
    } finally {
      this.seconds += (performance.now() - start) / 1000;
      this.steps++;
    }
  }

  /** Mean wall milliseconds per step (NaN before the first). */
  get msPerStep(): number {
    return this.steps > 0 ? (1000 * this.seconds) / this.steps : NaN;
  }
}
