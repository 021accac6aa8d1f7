import { StepTimer } from '../../../src/dnn/training/step-timer.js';

test('counts the timed steps, adds to restored totals, and times a step that throws', () => {
  const timer = new StepTimer(10, 2);
  expect(timer.time(() => 42)).toBe(42);
  expect(() => timer.time(() => {
    throw new Error('step failed');
  })).toThrow('step failed');
  expect(timer.steps).toBe(12);
  expect(timer.seconds).toBeGreaterThanOrEqual(2);
  expect(timer.msPerStep).toBeCloseTo((1000 * timer.seconds) / 12, 9);
  expect(new StepTimer().msPerStep).toBeNaN();
});
