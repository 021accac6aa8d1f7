/**
 * The progress bar of a training run, fed by the trainer's events (both model families):
 * one tick per step, a jump over the steps a resumed run had done, and the epoch or
 * test-curve lines the command asks for.
 */
import { InputError } from '../../input-error.js';
import type { TrainingListener } from '../../dnn/training/events.js';
import { TrainingDivergedError } from '../../dnn/training/finite-loss.js';
import { createProgress } from '../progress.js';

export interface TrainingProgress<Log, Point> {
  listener: TrainingListener<Log, Point>;
  stop(): void;
}

export function trainingProgress<Log = never, Point = never>(
  label: string,
  total: number,
  o: {
    quiet?: boolean;
    /** Shown beside the loss until the next epoch ends. */
    epochLine?: (log: Log) => string;
    /** Printed above the bar for each test-curve point. */
    evalLines?: (point: Point) => string[];
  },
): TrainingProgress<Log, Point> {
  const progress = createProgress(label, total, { quiet: o.quiet });
  let lastEpoch = '';
  const listener: TrainingListener<Log, Point> = (e) => {
    if (e.type === 'resumed') progress.tick(e.step, `resumed after step ${e.step}`);
    else if (e.type === 'step') progress.tick(1, `${lastEpoch || e.stage} loss ${e.loss.toFixed(4)}`);
    else if (e.type === 'epoch') lastEpoch = o.epochLine?.(e.log) ?? '';
    else o.evalLines?.(e.point).forEach((line) => progress.log(line));
  };
  let stopped = false;
  const stop = () => {
    if (!stopped) progress.stop();
    stopped = true;
  };
  return { listener, stop };
}

/** Runs a command's training; a diverged run is reported as the user's (one line naming the step, exit 2). */
export function reportingDivergence<T>(run: () => T): T {
  try {
    return run();
  } catch (err) {
    if (err instanceof TrainingDivergedError) throw new InputError(err.message);
    throw err;
  }
}
