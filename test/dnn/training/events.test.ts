import { onEpochs, type TrainingEvent } from '../../../src/dnn/training/events.js';

test('onEpochs passes the epoch logs on and nothing else', () => {
  const logs: string[] = [];
  const listener = onEpochs<string>((log) => logs.push(log));
  const events: TrainingEvent<string>[] = [
    { type: 'resumed', step: 4, total: 10 },
    { type: 'step', step: 5, total: 10, loss: 0.5, stage: 'epoch 3' },
    { type: 'epoch', log: 'epoch 3' },
  ];
  events.forEach(listener);
  expect(logs).toEqual(['epoch 3']);
});
