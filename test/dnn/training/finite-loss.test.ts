import { assertFiniteLoss, TrainingDivergedError } from '../../../src/dnn/training/finite-loss.js';

test.each([NaN, Infinity, -Infinity])('a loss of %p stops the run, naming the step', (loss) => {
  expect(() => assertFiniteLoss(loss, 37)).toThrow(TrainingDivergedError);
  expect(() => assertFiniteLoss(loss, 37)).toThrow(`training diverged at step 37 (loss ${loss})`);
});

test('a finite loss, negative ones included, passes', () => {
  expect(() => assertFiniteLoss(-0.78, 1)).not.toThrow();
  expect(() => assertFiniteLoss(0, 2)).not.toThrow();
});
