/**
 * What a trainer reports while it runs, one type for both model families: the CLI
 * progress bars and the scripts consume it.
 */

export interface StepEvent {
  type: 'step';
  /** Steps done so far in the whole run (1-based; counts the steps of resumed sessions). */
  step: number;
  /** Steps of the whole run. */
  total: number;
  /** Loss of the step just taken. */
  loss: number;
  /** Where the run is, for a progress line: 'phase 1', 'epoch 3'. */
  stage: string;
}

/** A run continued from a checkpoint after `step` of its `total` steps. */
export interface ResumedEvent {
  type: 'resumed';
  step: number;
  total: number;
}

/** An epoch ended (KPI models): its log line. */
export interface EpochEvent<Log> {
  type: 'epoch';
  log: Log;
}

/** A test-curve point was evaluated (allocation models). */
export interface EvalEvent<Point> {
  type: 'eval';
  point: Point;
}

export type TrainingEvent<Log = never, Point = never> = StepEvent | ResumedEvent | EpochEvent<Log> | EvalEvent<Point>;

export type TrainingListener<Log = never, Point = never> = (event: TrainingEvent<Log, Point>) => void;

/** A listener that passes only the epoch logs on to `fn`. */
export function onEpochs<Log>(fn: (log: Log) => void): TrainingListener<Log> {
  return (event) => {
    if (event.type === 'epoch') fn(event.log);
  };
}
