import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir } from '../../helpers/tmp.js';
import { initEngine, tf } from '../../../src/dnn/engine.js';
import { ModelFileError } from '../../../src/dnn/model-io.js';
import { CheckpointSlot, removeCheckpoints } from '../../../src/dnn/training/checkpoint.js';

let tmp: ReturnType<typeof makeTempDir>;
beforeAll(async () => {
  await initEngine();
  tmp = makeTempDir();
});
afterAll(() => tmp.cleanup());

test('a slot gives back the state, values and shapes it saved; an empty slot gives nothing', () => {
  const slot = new CheckpointSlot<{ step: number; history: number[] }>(join(tmp.dir, 'a'), 'test-checkpoint');
  expect(slot.load()).toBeUndefined();
  const w = tf.tensor2d([1.5, -2, 3, 4.25, 5, 6], [2, 3]);
  slot.save({ step: 7, history: [0.5, 0.25] }, { 'cur/w': w });
  slot.save({ step: 8, history: [0.5, 0.25, 0.125] }, { 'cur/w': tf.mul(w, 2) });
  const back = slot.load();
  expect(back?.state).toEqual({ step: 8, history: [0.5, 0.25, 0.125] });
  expect(Array.from(back!.weights['cur/w'])).toEqual([3, -4, 6, 8.5, 10, 12]);
  expect(back?.shapes['cur/w']).toEqual([2, 3]);
});

test("another trainer's checkpoint is refused, naming both kinds", () => {
  new CheckpointSlot<{ step: number }>(join(tmp.dir, 'b'), 'kpi-checkpoint').save({ step: 1 }, {});
  const other = new CheckpointSlot<{ step: number }>(join(tmp.dir, 'b'), 'allocation-checkpoint');
  expect(() => other.load()).toThrow(ModelFileError);
  expect(() => other.load()).toThrow(/not a checkpoint of this trainer \(kind 'kpi-checkpoint', expected 'allocation-checkpoint'\)/);
});

test('removeCheckpoints deletes the slot, and the folder only when nothing else is in it', () => {
  const alone = join(tmp.dir, 'c');
  new CheckpointSlot<{ step: number }>(alone, 'k').save({ step: 1 }, {});
  removeCheckpoints(alone);
  expect(existsSync(alone)).toBe(false);
  const shared = join(tmp.dir, 'd');
  new CheckpointSlot<{ step: number }>(shared, 'k').save({ step: 1 }, {});
  mkdirSync(shared, { recursive: true });
  writeFileSync(join(shared, 'notes.txt'), 'keep');
  removeCheckpoints(shared);
  expect(existsSync(join(shared, 'latest'))).toBe(false);
  expect(existsSync(join(shared, 'notes.txt'))).toBe(true);
});
