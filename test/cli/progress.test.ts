import { jest } from '@jest/globals';
import { createProgress } from '../../src/cli/progress.js';

/** What `run` writes to stderr. */
function stderrOf(run: () => void): string {
  let text = '';
  const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    text += String(chunk);
    return true;
  });
  try {
    run();
  } finally {
    spy.mockRestore();
  }
  return text;
}

describe('createProgress off a terminal', () => {
  beforeAll(() => expect(process.stderr.isTTY).toBeFalsy());

  it('prints a line per interval and a final one on stop, with the latest info', () => {
    const text = stderrOf(() => {
      const p = createProgress('train', 4, { intervalMs: 0 });
      p.tick(1, 'loss 0.5');
      p.tick(3);
      p.log('epoch 1 done');
      p.stop();
    });
    const lines = text.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^train: 1\/4 \(25%\) \d+\.\ds loss 0\.5$/);
    expect(lines[1]).toMatch(/^train: 4\/4 \(100%\) \d+\.\ds loss 0\.5$/);
    expect(lines[2]).toBe('epoch 1 done');
  });

  it('between intervals prints only on stop', () => {
    const text = stderrOf(() => {
      const p = createProgress('gen', 0, { intervalMs: 60_000 });
      p.tick();
      p.tick();
      p.stop();
    });
    expect(text).toMatch(/^gen: 2\/0 \(100%\) \d+\.\ds \n$/);
  });

  it('quiet prints nothing', () => {
    expect(
      stderrOf(() => {
        const p = createProgress('x', 2, { quiet: true, intervalMs: 0 });
        p.tick();
        p.log('line');
        p.stop();
      }),
    ).toBe('');
  });
});
