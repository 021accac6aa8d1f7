import { jest } from '@jest/globals';
import { reportingDivergence, trainingProgress } from '../../../src/cli/commands/train-progress.js';
import { TrainingDivergedError } from '../../../src/dnn/training/finite-loss.js';
import { InputError } from '../../../src/input-error.js';

describe('trainingProgress', () => {
  it('jumps over resumed steps, shows the loss beside the last epoch line, prints eval lines', () => {
    let text = '';
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      text += String(chunk);
      return true;
    });
    try {
      const p = trainingProgress<{ epoch: number }, { auc: number }>('train', 10, { epochLine: (l) => `epoch ${l.epoch}`, evalLines: (pt) => [`auc ${pt.auc}`] });
      p.listener({ type: 'resumed', step: 4, total: 10 });
      p.listener({ type: 'epoch', log: { epoch: 1 } });
      p.listener({ type: 'step', step: 5, total: 10, loss: 0.123456, stage: 'stage 1' });
      p.listener({ type: 'eval', point: { auc: 0.9 } });
      p.stop();
    } finally {
      spy.mockRestore();
    }
    const lines = text.trim().split('\n');
    expect(lines).toEqual(['auc 0.9', expect.stringMatching(/^train: 5\/10 \(50%\) \d+\.\ds epoch 1 loss 0\.1235$/)]);
  });
});

describe('reportingDivergence', () => {
  it("turns a diverged run into the user's one-line error and lets other errors through", () => {
    expect(() =>
      reportingDivergence(() => {
        throw new TrainingDivergedError(7, Infinity);
      }),
    ).toThrow(InputError);
    const bug = new TypeError('a bug');
    expect(() =>
      reportingDivergence(() => {
        throw bug;
      }),
    ).toThrow(bug);
    expect(reportingDivergence(() => 3)).toBe(3);
  });
});
