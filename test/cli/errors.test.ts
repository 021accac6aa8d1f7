/** writingTo: a write the disk refuses is the user's to fix (an InputError naming the option and path); any other error passes as it is. */
import { writingTo } from '../../src/cli/errors.js';
import { InputError } from '../../src/input-error.js';

it.each(['ENOSPC', 'EDQUOT', 'EROFS', 'EACCES', 'EPERM'])('writingTo turns %s into an InputError naming the option and path', (code) => {
  const failing = () => {
    throw Object.assign(new Error(`${code}: write`), { code });
  };
  expect(() => writingTo('--out', 'runs/x', failing)).toThrow(InputError);
  expect(() => writingTo('--out', 'runs/x', failing)).toThrow(new RegExp(`^--out: cannot write 'runs/x': .* \\(${code}\\)`));
});

it('writingTo lets every other error through as it is', () => {
  const bug = new TypeError('a bug');
  expect(() =>
    writingTo('--out', 'runs/x', () => {
      throw bug;
    }),
  ).toThrow(bug);
  expect(writingTo('--out', 'runs/x', () => 42)).toBe(42);
});
