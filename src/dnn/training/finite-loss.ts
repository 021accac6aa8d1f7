/**
 * The finite-loss guard: a run whose loss becomes NaN or infinite stops at that step with
 * an error naming it, instead of training on (and saving) garbage weights. The last
 * checkpoint, saved before the step, stays as it was.
 */

export class TrainingDivergedError extends Error {
  override name = 'TrainingDivergedError';
  constructor(
    readonly step: number,
    readonly loss: number,
  ) {
    super(`training diverged at step ${step} (loss ${loss}); lower the learning rate or check the data for non-finite values`);
  }
}

/** Throws TrainingDivergedError unless `loss` (of the run's 1-based `step`) is finite. */
export function assertFiniteLoss(loss: number, step: number): void {
  if (!Number.isFinite(loss)) throw new TrainingDivergedError(step, loss);
}
